import Foundation
import PatronCore
import PatronServices
import PatronStore
import Synchronization

/// What pages derive from a programme version, made once per version and language instead of once per request: the
/// formats (currency, time zone and its calendar) and the programme explained in words (the member home's benefits
/// and the handbook). Only the newest version seen is kept; a page that meets an older one (a reader whose snapshot
/// predates a load) gets its own, not kept.
final class ProgramViews: Sendable {
    private struct Kept {
        var version: Int
        var formats: [ConsoleLanguage: Formats] = [:]
        var explanations: [ConsoleLanguage: ProgramExplanation] = [:]
    }

    private let kept = Mutex<Kept?>(nil)

    /// The formats of `version` in `language`.
    func formats(_ version: ProgramVersion, _ language: ConsoleLanguage) -> Formats {
        if let formats = kept.withLock({ $0?.version == version.version ? $0?.formats[language] : nil }) { return formats }
        let formats = Formats(language: language, currency: version.program.currency, timeZone: version.program.timeZone)
        keep(version.version) { $0.formats[language] = formats }
        return formats
    }

    /// `version` explained in `language`.
    func explanation(_ version: ProgramVersion, _ language: ConsoleLanguage) -> ProgramExplanation {
        if let explanation = kept.withLock({ $0?.version == version.version ? $0?.explanations[language] : nil }) { return explanation }
        let explanation = ProgramExplanation(program: version.program, language: language.explanationLanguage)
        keep(version.version) { $0.explanations[language] = explanation }
        return explanation
    }

    private func keep(_ version: Int, _ change: (inout Kept) -> Void) {
        kept.withLock { kept in
            if kept == nil || kept!.version < version { kept = Kept(version: version) }
            if kept!.version == version { change(&kept!) }
        }
    }
}
