import ArgumentParser

/// `patron care …`: the service team's tools — tickets and compensation, satisfaction surveys, win-back follow-up and
/// the care report.
struct CareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "care", abstract: "Customer care: tickets with response-time targets, compensation, surveys, win-back and the care report.",
        subcommands: [CareTicketsCommand.self, CareCSATCommand.self, CareSurveysCommand.self, CareWinBackCommand.self, CareReportCommand.self])
}
