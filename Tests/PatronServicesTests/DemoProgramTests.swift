import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

@testable import PatronServices

@Suite struct DemoProgramTests {
    @Test func theBuiltInProgramEqualsExamplesProgramsStarterYaml() throws {
        let file = try String(
            contentsOf: DemoSimulationTests.root.appendingPathComponent("examples/programs/starter.yaml"), encoding: .utf8)
        #expect(DemoProgram.starter == file, "copy examples/programs/starter.yaml into DemoProgram.starter (or the reverse)")
    }

    @Test func theBuiltInProgramIsValidAndHasWhatTheDemoShopUses() throws {
        let program = try ProgramFile.parse(DemoProgram.starter)
        #expect(program.referral != nil)
        #expect(program.rewards.contains { if case .coupon = $0.kind { true } else { false } })
        #expect(program.earning.rules.contains { $0.conditions.from != nil && $0.conditions.channels.contains("app") })
    }

    @Test func aProgramWithRestrictedEnrolmentIsRefusedBeforeAnythingIsWritten() throws {
        var program = try ProgramFile.parse(DemoProgram.starter)
        program.enrollment = .restricted(.firstOrder)
        #expect { try DemoShop.check(program) } throws: { ($0 as? PatronError)?.code == .invalidProgram }
        try DemoShop.check(try ProgramFile.parse(DemoProgram.starter))
    }
}
