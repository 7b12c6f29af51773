import Foundation

/// A Hugging Face checkpoint directory: `config.json` plus either `model.safetensors`, or shards
/// listed in `model.safetensors.index.json` (`{"weight_map": {tensor: shard file}}`), or, with
/// neither, every `*.safetensors` file in the directory.
struct HFCheckpoint {
    let directory: URL
    let config: HFConfig
    /// Mapped shard files, in name order.
    let shards: [SafetensorsFile]
    /// Every tensor of every shard, by name.
    let tensors: [String: StoredTensor]

    /// Reads the config and maps every shard. Throws naming the config, index or shard at fault.
    init(directory: URL) throws(ModelLoadError) {
        self.directory = directory
        let configURL = directory.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw ModelLoadError(file: directory.path, "no config.json in this directory")
        }
        config = try HFConfig.read(configURL)

        let index = directory.appendingPathComponent("model.safetensors.index.json")
        let weightMap = FileManager.default.fileExists(atPath: index.path) ? try Self.weightMap(index) : nil
        let shardNames: [String]
        if let weightMap {
            shardNames = Set(weightMap.values).sorted()
        } else {
            shardNames = try Self.unindexedShards(in: directory)
        }
        var shards: [SafetensorsFile] = []
        var tensors: [String: StoredTensor] = [:]
        for name in shardNames {
            let shard = try SafetensorsFile(file: MappedFile(path: directory.appendingPathComponent(name).path))
            for tensor in shard.tensors {
                guard tensors.updateValue(tensor, forKey: tensor.name) == nil else {
                    throw ModelLoadError(file: shard.file.path, "tensor '\(tensor.name.shownInMessage)' also appears in another shard")
                }
                if let listed = weightMap?[tensor.name], listed != name {
                    throw ModelLoadError(file: index.path, "lists tensor '\(tensor.name.shownInMessage)' in \(listed.shownInMessage) but it is in \(name)")
                }
            }
            shards.append(shard)
        }
        for (tensor, shard) in weightMap ?? [:] where tensors[tensor] == nil {
            throw ModelLoadError(file: index.path, "lists tensor '\(tensor.shownInMessage)' in \(shard.shownInMessage), which does not contain it")
        }
        self.shards = shards
        self.tensors = tensors
    }

    /// The index's `weight_map`, with shard names checked to be plain file names in the directory.
    private static func weightMap(_ url: URL) throws(ModelLoadError) -> [String: String] {
        struct Index: Decodable {
            var weightMap: [String: String]
            enum CodingKeys: String, CodingKey { case weightMap = "weight_map" }
        }
        let map: [String: String]
        do {
            map = try JSONDecoder().decode(Index.self, from: Data(contentsOf: url)).weightMap
        } catch {
            throw ModelLoadError(file: url.path, "is not a valid index (needs a weight_map object of tensor → shard file)")
        }
        for shard in Set(map.values) where shard.contains("/") || shard.hasPrefix(".") || !shard.hasSuffix(".safetensors") {
            throw ModelLoadError(file: url.path, "shard name '\(shard.shownInMessage)' is not a .safetensors file name in the checkpoint directory")
        }
        return map
    }

    /// `model.safetensors`, else every `*.safetensors` in the directory; throws when there is none.
    private static func unindexedShards(in directory: URL) throws(ModelLoadError) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        if names.contains("model.safetensors") { return ["model.safetensors"] }
        let shards = names.filter { $0.hasSuffix(".safetensors") }.sorted()
        guard !shards.isEmpty else {
            throw ModelLoadError(file: directory.path, "no model.safetensors, model.safetensors.index.json or *.safetensors file in this directory")
        }
        return shards
    }
}
