import ArgumentParser
import Foundation
import SkipChatEngine

/// `skipchat tokenize`: text → token ids (or pieces), or ids → text with `--decode`.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of TEXT as a JSON array (or its pieces), or decode a JSON id array."
    )

    @Option(name: .long, help: "GGUF file (a vocab-only one will do), a directory holding tokenizer.json, or hf:ORG/NAME[:QUANT] (default: the built-in SmolLM2-135M-Instruct).")
    var model: String?

    @Flag(name: .long, help: "Print the pieces instead of the ids.")
    var pieces = false

    @Flag(name: .long, help: "TEXT is a JSON array of ids; print the text they decode to.")
    var decode = false

    @Flag(name: .long, help: "Treat special-token text (e.g. <|im_start|>) as plain text.")
    var noSpecial = false

    @Argument(help: "The text (default: standard input).")
    var text: String?

    func run() throws {
        let input = try text ?? failing {
            guard let s = String(data: FileHandle.standardInput.readDataToEndOfFile(), encoding: .utf8) else { throw InputError.notUTF8 }
            return s
        }
        let resolvedModel = try HubModelArgument.resolve(model)
        let tokenizer = try failing {
            let path = resolvedModel ?? LanguageModel.defaultModelPath
            return try TokenizerSource(modelPath: path).tokenizer(file: path)
        }
        if decode {
            let ids = try failing {
                guard let ids = try? JSONDecoder().decode([Int32].self, from: Data(input.utf8)) else {
                    throw TokenizeInputError.notAnIdArray
                }
                return ids
            }
            let bytes = try failing { try tokenizer.decode(ids) }
            writeShown(String(decoding: bytes, as: UTF8.self) + "\n")
            return
        }
        let ids = tokenizer.encode(input, parseSpecial: !noSpecial)
        if pieces {
            let encoded = try JSONEncoder().encode(ids.map { tokenizer.pieceText($0) })
            writeOut(String(decoding: encoded, as: UTF8.self) + "\n")
        } else {
            writeOut("[" + ids.map(String.init).joined(separator: ",") + "]\n")
        }
    }
}

enum TokenizeInputError: Error, CustomStringConvertible {
    case notAnIdArray
    var description: String { "--decode expects a JSON array of token ids, e.g. [1, 2, 3]" }
}
