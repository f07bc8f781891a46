import ArgumentParser
import Foundation
import PatronCore
import PatronStore

/// `patron settle`: what a partner merchant and the program owe each other.
struct SettleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settle", abstract: "A partner's settlement statement: points issued and redeemed, amounts owed each way, net.")
    @Option(help: "The partner's id.") var partner: String
    @Option(help: "First day, yyyy-MM-dd.") var from: String
    @Option(help: "Last day, yyyy-MM-dd.") var to: String
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print CSV.") var csv = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reportingErrors {
            guard let first = LocalDate(iso: from), let last = LocalDate(iso: to) else {
                throw PatronError(.invalidInput, "--from and --to are yyyy-MM-dd dates")
            }
            let opened = try await store.open()
            let statement = try await opened.settlement(partner: partner, from: first, to: last)
            let currency = try await opened.currentProgram()!.program.currency
            let money = { (minor: Int64) in Money(minor: minor, currency).majorText }
            if json { return try printJSON(statement) }
            if csv {
                print("partner,from,to,points_issued,points_redeemed,owed_by_partner,owed_to_partner,net,currency")
                print([statement.partner, statement.from, statement.to, String(statement.pointsIssued), String(statement.pointsRedeemed),
                       money(statement.owedByPartner), money(statement.owedToPartner), money(statement.net), currency.code].joined(separator: ","))
                return
            }
            var table = Table(["\(statement.partner), \(statement.from) to \(statement.to)", ""], rightAligned: [1])
            table.add(["points issued", grouped(statement.pointsIssued)])
            table.add(["points redeemed", grouped(statement.pointsRedeemed)])
            table.add(["owed by the partner", money(statement.owedByPartner) + " " + currency.code])
            table.add(["owed to the partner", money(statement.owedToPartner) + " " + currency.code])
            table.add(["net (partner pays if positive)", money(statement.net) + " " + currency.code])
            print(table.text)
        }
    }
}
