/// Group commit of photos' labels: a photo whose labels are in hand waits while the batch before it
/// is recorded, then goes with every photo that became ready meanwhile, in one
/// ``AnalysisService/record(_:checkingFirst:)`` — one table write and one tagging for all of them.
/// The first photo of each batch records it, then hands the next batch to the first photo waiting.
/// `pam import` (photos it has just stored) and `pam serve`'s analysis queue (photos labelled while
/// their upload was checked, `checkingFirst`) share it.
public actor AnalysisBatches {
    typealias Photo = (ref: ObjectRef, labeled: LabeledVersion)
    public typealias Outcome = Result<AnalysisOutcome, any Error>
    /// What a waiting photo is woken with: its outcome, or the next batch to record.
    enum Turn: Sendable {
        case recorded(Outcome)
        case record
    }

    let analysis: AnalysisService
    let checkingFirst: Bool
    private var waiting: [(photo: Photo, wake: CheckedContinuation<Turn, Never>)] = []
    private var recording = false

    public init(analysis: AnalysisService, checkingFirst: Bool = false) {
        self.analysis = analysis
        self.checkingFirst = checkingFirst
    }

    /// Records and tags the photo with the others ready by then, and answers its outcome.
    public func record(_ ref: ObjectRef, _ labeled: LabeledVersion) async -> Outcome {
        if recording {
            let turn = await withCheckedContinuation { waiting.append(((ref, labeled), $0)) }
            if case .recorded(let outcome) = turn { return outcome }
        }
        recording = true
        let others = waiting
        waiting.removeAll()
        let outcomes = await analysis.record([(ref, labeled)] + others.map(\.photo), checkingFirst: checkingFirst)
        for (other, outcome) in zip(others, outcomes.dropFirst()) { other.wake.resume(returning: .recorded(outcome)) }
        if waiting.isEmpty {
            recording = false
        } else {
            waiting.removeFirst().wake.resume(returning: .record)
        }
        return outcomes[0]
    }
}
