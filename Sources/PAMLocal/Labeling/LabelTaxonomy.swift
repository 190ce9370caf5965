/// The labels the histogram labeler can return, with Rekognition-style parents and categories.
///
/// Parents are other labels of this taxonomy, so whenever a label is returned its parents can be
/// returned too (as Rekognition does).
enum LabelTaxonomy {
    static let natureAndOutdoors = "Nature and Outdoors"
    static let plantsAndFlowers = "Plants and Flowers"

    /// Direct parents, nearest first, and the category of every label. As in the rubric
    /// (`Fixtures/photos/LABELS.md`, `Fixtures/corpus/LABELS.md`): every natural label implies
    /// Nature; Outdoors only where the label itself shows the outside (water may be seen close or
    /// under water, a mountain or a rock face may be seen without a distant view); Night implies
    /// Outdoors but not Nature (a lit street at night has nothing natural in it).
    static let entries: [String: (parents: [String], category: String)] = [
        "Nature": ([], natureAndOutdoors),
        "Outdoors": ([], natureAndOutdoors),
        "Landscape": (["Nature", "Outdoors"], natureAndOutdoors),
        "Sky": (["Nature", "Outdoors"], natureAndOutdoors),
        "Cloud": (["Sky"], natureAndOutdoors),
        "Sunset": (["Sky"], natureAndOutdoors),
        "Night": (["Outdoors"], natureAndOutdoors),
        "Water": (["Nature"], natureAndOutdoors),
        "Lake": (["Water", "Outdoors"], natureAndOutdoors),
        "Mountain": (["Nature", "Outdoors"], natureAndOutdoors),
        "Snow": (["Nature", "Outdoors"], natureAndOutdoors),
        "Sand": (["Nature"], natureAndOutdoors),
        "Rock": (["Nature"], natureAndOutdoors),
        "Plant": (["Nature"], plantsAndFlowers),
        "Vegetation": (["Plant"], plantsAndFlowers),
        "Tree": (["Vegetation"], plantsAndFlowers),
        "Forest": (["Tree", "Outdoors"], plantsAndFlowers),
        "Grass": (["Vegetation"], plantsAndFlowers),
        "Flower": (["Vegetation"], plantsAndFlowers),
    ]

    /// Every label name.
    static var names: [String] { entries.keys.sorted() }

    /// All ancestors of `name`, nearest chain first (depth-first, each once):
    /// Forest → Tree, Vegetation, Plant, Nature, Outdoors.
    static func ancestors(of name: String) -> [String] {
        var result: [String] = []
        func visit(_ label: String) {
            for parent in entries[label]?.parents ?? [] where !result.contains(parent) {
                result.append(parent)
                visit(parent)
            }
        }
        visit(name)
        return result
    }

    static func category(of name: String) -> String { entries[name]?.category ?? natureAndOutdoors }
}
