import Foundation
import PatronCore

/// Reads a marketing campaign definition from YAML or JSON text.
public enum CampaignFile {
    /// Parses a campaign file; throws `invalidInput` listing every problem with its path and line.
    public static func parse(_ text: String, vocabulary: CampaignVocabulary) throws -> MarketingCampaign {
        let document: ConfigNode
        do {
            document = try ProgramFile.document(text)
        } catch var error as PatronError {
            error.code = .invalidInput
            error.message = error.message.replacingOccurrences(of: "the program file", with: "the campaign file")
                .replacingOccurrences(of: "the program", with: "the campaign file")
            throw error
        }
        return try CampaignReader.read(document, vocabulary: vocabulary)
    }
}
