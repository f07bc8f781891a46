import ArgumentParser
import PatronServices

/// The `patron` command line.
@main
struct Patron: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patron",
        abstract: "Patron, the loyalty and membership engine for online shops.",
        version: PatronVersion.current,
        subcommands: [
            MigrateCommand.self, ProgramCommand.self, MemberCommand.self, ImportCommand.self, JobsCommand.self, SimulateCommand.self,
            QuoteCommand.self, RewardsCommand.self, RedeemCommand.self, CouponsCommand.self, SettleCommand.self,
            CheckCommand.self, KeysCommand.self, AuditCommand.self, AnalyzeCommand.self, DemoCommand.self, BenchCommand.self,
            WebhooksCommand.self, ServeCommand.self, UsersCommand.self, OverviewCommand.self, SegmentsCommand.self,
            CampaignsCommand.self, MessagesCommand.self, CareCommand.self,
        ]
    )
}
