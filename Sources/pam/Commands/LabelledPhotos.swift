import Foundation
import PAMCore
import PAMLocal

/// The photos a truth file lists, read from a folder and turned into training samples (feature
/// vector, true labels, fold group), for `pam train` and `pam eval --folds`.
enum LabelledPhotos {
    /// The truth file at `path`, read and parsed (either form ``LabelTruth`` reads).
    ///
    /// - Throws: `PAMError` for an unreadable or malformed file.
    static func truth(at path: String) throws -> LabelTruth {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw PAMError(.io, "cannot read the truth file", path: path, underlying: error)
        }
        return try LabelTruth.parse(data, source: path)
    }

    /// Parses `truthPath` and computes the feature vector of every photo it lists, in truth order.
    ///
    /// - Throws: `PAMError` for an unreadable or malformed truth file, a label the labeler does not
    ///   know (a misspelt one would silently train its photo as a negative of the real label), or a
    ///   listed photo that is missing or does not decode (training and cross-validation need every one).
    static func load(directory: String, truthPath: String) throws -> (truth: LabelTruth, samples: [LabelModelTrainer.Sample]) {
        let truth = try self.truth(at: truthPath)
        let vocabulary = HistogramLabeler.vocabulary
        for entry in truth.entries {
            if let unknown = entry.labels.first(where: { !vocabulary.contains($0) }) {
                throw PAMError(
                    .invalidArgument,
                    "the truth file gives \(entry.file) the label \"\(unknown)\", which the labeler does not know (it knows \(vocabulary.sorted().joined(separator: ", ")))",
                    path: truthPath)
            }
        }
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let labeler = HistogramLabeler()
        var samples: [LabelModelTrainer.Sample] = []
        for entry in truth.entries {
            let file = folder.appendingPathComponent(entry.file)
            let data: Data
            do { data = try Data(contentsOf: file) } catch {
                throw PAMError(.io, "cannot read a photo the truth file lists", path: file.path, underlying: error)
            }
            let vector: [Double]
            do { vector = try labeler.featureVector(forJPEG: data) } catch var error as PAMError {
                error.path = file.path
                throw error
            }
            samples.append(LabelModelTrainer.Sample(vector: vector, labels: Set(entry.labels), group: entry.group))
        }
        return (truth, samples)
    }
}
