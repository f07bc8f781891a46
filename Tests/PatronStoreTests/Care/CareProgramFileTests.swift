import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

/// The program file's `care` section: read into service hours, targets and caps, every problem named at its line.
@Suite struct CareProgramFileTests {
    static let head = """
        name: Care shop
        currency: USD
        timeZone: America/New_York
        earning: { points: 1, per: "1.00" }

        """

    @Test("a care section sets hours, holidays, targets, escalation, caps and automatic tickets")
    func careSectionIsRead() throws {
        let program = try ProgramFile.parse(
            Self.head + """
                care:
                  hours:
                    monday: "09:00-18:00"
                    tuesday: ["09:00-12:00", "13:00-18:00"]
                    saturday: closed
                  holidays: [2026-12-25]
                  targets:
                    default:
                      urgent: { firstResponse: 30m, resolution: 4h }
                    delivery:
                      high: { firstResponse: 1h, resolution: 1h30m }
                  escalateBefore: 15m
                  compensation:
                    agent: { pointsPerTicket: 300, pointsPerDay: 900, couponsPerTicket: 1, couponsPerDay: 3 }
                  automatic: { largeReturn: "250.00", refusedRedemption: true }
                """)
        let care = program.care
        #expect(care.hours.weekly[1] == [BusinessHours.Interval(text: "09:00-18:00")!])
        #expect(care.hours.weekly[2]?.count == 2)
        #expect(care.hours.weekly[6] == nil)
        #expect(care.hours.holidays == [LocalDate(iso: "2026-12-25")!])
        #expect(care.hours.timeZone.identifier == "America/New_York")
        #expect(care.targets.target(.price, .urgent) == ResponseTarget(firstResponseMinutes: 30, resolutionMinutes: 240))
        #expect(care.targets.target(.delivery, .high) == ResponseTarget(firstResponseMinutes: 60, resolutionMinutes: 90))
        #expect(care.targets.target(.delivery, .low) == ResponseTargets.standard[.low])
        #expect(care.escalateBeforeMinutes == 15)
        #expect(care.agentCaps == CompensationCaps(pointsPerTicket: 300, pointsPerDay: 900, couponsPerTicket: 1, couponsPerDay: 3))
        #expect(care.largeReturnMinor == 25_000)
        #expect(care.ticketOnRefusedRedemption)
    }

    @Test("without a care section: weekdays 09:00-18:00 in the program's zone and the standard targets and caps")
    func standardCare() throws {
        let program = try ProgramFile.parse(Self.head)
        #expect(program.care == CareSettings.standard(timeZone: TimeZone(identifier: "America/New_York")!))
        #expect(program.care.hours.weekly.count == 5)
        #expect(program.care.largeReturnMinor == nil)
    }

    @Test("every problem in the care section is reported with its path and line")
    func problemsAtTheirLines() {
        let found = problems(
            Self.head + """
                care:
                  hours:
                    monday: "18:00-09:00"
                    tuesday: ["09:00-13:00", "12:00-18:00"]
                    funday: "09:00-10:00"
                  holidays: [2026-02-30]
                  targets:
                    delivery:
                      high: { firstResponse: 2d, resolution: 4h }
                      normal: { firstResponse: 4h, resolution: 1h }
                    shipping:
                      high: { firstResponse: 1h, resolution: 4h }
                  escalateBefore: soon
                  compensation:
                    agent: { pointsPerTicket: 500, pointsPerDay: 100 }
                  automatic: { largeReturn: "-5" }
                """)
        let expected = [
            "care.hours.monday (line 7): '18:00-09:00' is not a time range",
            "care.hours.tuesday (line 8): 12:00-18:00 overlaps 09:00-13:00",
            "care.hours.funday (line 9): unknown key",
            "care.holidays[0] (line 10): must be a date as yyyy-MM-dd",
            "care.targets.delivery.high.firstResponse (line 13): must be a duration of service time",
            "care.targets.delivery.normal.resolution (line 14): must not be shorter than firstResponse",
            "care.targets.shipping (line 16): unknown key",
            "care.escalateBefore (line 17): must be a duration",
            "care.compensation.agent.pointsPerDay (line 19): must not be below pointsPerTicket",
            "care.automatic.largeReturn (line 20): must be a positive amount",
        ]
        for prefix in expected {
            #expect(found.contains { $0.hasPrefix(prefix) }, "missing: \(prefix) in \(found)")
        }
    }

    @Test("a week without any service hours is refused")
    func closedAllWeek() {
        let found = problems(Self.head + "care:\n  hours:\n    monday: closed\n")
        #expect(found.contains { $0.hasPrefix("care.hours (line 7): service must be open at some time of the week") }, "\(found)")
    }

    private func problems(_ text: String) -> [String] {
        do {
            _ = try ProgramFile.parse(text)
            return []
        } catch let error as PatronError {
            return error.details
        } catch {
            return ["\(error)"]
        }
    }
}
