import Foundation

extension ProgramReader {
    /// Reads the `care` section: `hours` (weekday → `"09:00-18:00"`, a list of such, or `closed`), `holidays`
    /// (`yyyy-MM-dd` dates), `targets` (`default` and categories, each priority → `{ firstResponse: 4h, resolution: 2d }`
    /// in service time), `escalateBefore`, `compensation.agent` caps, `automatic` tickets and `surveys` (`SurveyPolicy`).
    static func readCare(_ node: ConfigNode, _ currency: Currency?, _ timeZone: TimeZone?, _ reader: ConfigReader) -> CareSettings? {
        let path = "care"
        let keys: Set<String> = ["hours", "holidays", "targets", "escalateBefore", "compensation", "automatic", "surveys"]
        guard let map = reader.mapping(node, at: path, allowed: keys) else { return nil }
        var ok = true
        let zone = timeZone ?? TimeZone(identifier: "UTC")!

        var hours = BusinessHours.standard(timeZone: zone)
        if let hoursNode = map["hours"] {
            if let read = readHours(hoursNode, zone, reader) { hours = read } else { ok = false }
        }
        var holidays: Set<LocalDate> = []
        for (itemPath, item) in reader.items(map, "holidays", at: path) {
            guard case .scalar(let text, _) = item, let date = LocalDate(iso: text) else {
                reader.report(itemPath, item, "must be a date as yyyy-MM-dd")
                ok = false
                continue
            }
            if !holidays.insert(date).inserted { reader.report(itemPath, item, "\(date) is listed twice") }
        }
        if holidays.count > 3_660 { reader.report("\(path).holidays", map["holidays"], "lists more than 3,660 days"); ok = false }
        hours.holidays = holidays

        var targets = ResponseTargets()
        if let targetsNode = map["targets"] {
            if let read = readTargets(targetsNode, reader) { targets = read } else { ok = false }
        }
        var escalate = 60
        if map["escalateBefore"] != nil {
            if let minutes = duration(map, "escalateBefore", at: path, reader) { escalate = minutes } else { ok = false }
        }
        var caps = CompensationCaps()
        if let compensation = map["compensation"], let comp = reader.mapping(compensation, at: "\(path).compensation", allowed: ["agent"]),
            let agentNode = comp["agent"]
        {
            let at = "\(path).compensation.agent"
            if let agent = reader.mapping(agentNode, at: at, allowed: ["pointsPerTicket", "pointsPerDay", "couponsPerTicket", "couponsPerDay"]) {
                let perTicket = reader.integer(agent, "pointsPerTicket", at: at, in: 0...1_000_000_000, default: Int(caps.pointsPerTicket))
                let perDay = reader.integer(agent, "pointsPerDay", at: at, in: 0...1_000_000_000, default: Int(caps.pointsPerDay))
                let couponsTicket = reader.integer(agent, "couponsPerTicket", at: at, in: 0...1_000, default: caps.couponsPerTicket)
                let couponsDay = reader.integer(agent, "couponsPerDay", at: at, in: 0...10_000, default: caps.couponsPerDay)
                if let perTicket, let perDay, let couponsTicket, let couponsDay {
                    if perDay < perTicket { reader.report("\(at).pointsPerDay", agent["pointsPerDay"], "must not be below pointsPerTicket (\(perTicket))"); ok = false }
                    if couponsDay < couponsTicket {
                        reader.report("\(at).couponsPerDay", agent["couponsPerDay"], "must not be below couponsPerTicket (\(couponsTicket))"); ok = false
                    }
                    caps = CompensationCaps(pointsPerTicket: Int64(perTicket), pointsPerDay: Int64(perDay), couponsPerTicket: couponsTicket, couponsPerDay: couponsDay)
                } else {
                    ok = false
                }
            } else {
                ok = false
            }
        } else if map["compensation"] != nil, case .mapping = map["compensation"]! {
            // A compensation mapping without `agent` keeps the standard caps.
        } else if map["compensation"] != nil {
            ok = false
        }
        var largeReturn: Int64?
        var refusedRedemption = false
        if let automatic = map["automatic"] {
            let at = "\(path).automatic"
            if let auto = reader.mapping(automatic, at: at, allowed: ["largeReturn", "refusedRedemption"]) {
                if auto["largeReturn"] != nil {
                    largeReturn = reader.amount(auto, "largeReturn", at: at, currency: currency, positive: true)
                    if largeReturn == nil { ok = false }
                }
                refusedRedemption = reader.bool(auto, "refusedRedemption", at: at, default: false)
            } else {
                ok = false
            }
        }
        // `surveys` (care-satisfaction): NPS sampling after completed orders; see `SurveyPolicy`.
        var surveys: SurveyPolicy?
        if let surveysNode = map["surveys"] {
            surveys = SurveyPolicy.read(surveysNode, at: "\(path).surveys", reader)
            if surveys == nil { ok = false }
        }
        guard ok else { return nil }
        return CareSettings(
            hours: hours, targets: targets, escalateBeforeMinutes: escalate, agentCaps: caps, largeReturnMinor: largeReturn,
            ticketOnRefusedRedemption: refusedRedemption, surveys: surveys)
    }

    private static func readHours(_ node: ConfigNode, _ zone: TimeZone, _ reader: ConfigReader) -> BusinessHours? {
        let path = "care.hours"
        guard let map = reader.mapping(node, at: path, allowed: Set(BusinessHours.weekdayNames)) else { return nil }
        var weekly: [Int: [BusinessHours.Interval]] = [:]
        var ok = true
        for (index, name) in BusinessHours.weekdayNames.enumerated() {
            guard let dayNode = map[name] else { continue }
            let at = "\(path).\(name)"
            var texts: [(String, ConfigNode)] = []
            switch dayNode {
            case .scalar(let text, _): texts = [(text, dayNode)]
            case .sequence(let items, _):
                for item in items {
                    guard case .scalar(let text, _) = item else { reader.report(at, item, "must be a time range such as 09:00-18:00"); ok = false; continue }
                    texts.append((text, item))
                }
            default:
                reader.report(at, dayNode, "must be a time range such as 09:00-18:00, a list of them, or closed")
                ok = false
            }
            var intervals: [BusinessHours.Interval] = []
            for (text, item) in texts where text != "closed" {
                guard let interval = BusinessHours.Interval(text: text) else {
                    reader.report(at, item, "'\(text)' is not a time range such as 09:00-18:00 (start before end, 00:00 to 24:00)")
                    ok = false
                    continue
                }
                if let clash = intervals.first(where: { $0.start < interval.end && interval.start < $0.end }) {
                    reader.report(at, item, "\(interval) overlaps \(clash)")
                    ok = false
                    continue
                }
                intervals.append(interval)
            }
            weekly[index + 1] = intervals
        }
        guard ok else { return nil }
        guard let hours = BusinessHours(weekly: weekly, timeZone: zone) else {
            reader.report(path, node, "service must be open at some time of the week")
            return nil
        }
        return hours
    }

    private static func readTargets(_ node: ConfigNode, _ reader: ConfigReader) -> ResponseTargets? {
        let path = "care.targets"
        let groups = ["default"] + TicketCategory.allCases.map(\.rawValue)
        guard let map = reader.mapping(node, at: path, allowed: Set(groups)) else { return nil }
        var ok = true
        var byPriority: [TicketPriority: ResponseTarget] = [:]
        var byCategory: [TicketCategory: [TicketPriority: ResponseTarget]] = [:]
        for group in groups {
            guard let groupNode = map[group] else { continue }
            let at = "\(path).\(group)"
            guard let priorities = reader.mapping(groupNode, at: at, allowed: Set(TicketPriority.allCases.map(\.rawValue))) else { ok = false; continue }
            for priority in TicketPriority.allCases {
                guard let targetNode = priorities[priority.rawValue] else { continue }
                let targetPath = "\(at).\(priority.rawValue)"
                guard let target = reader.mapping(targetNode, at: targetPath, allowed: ["firstResponse", "resolution"]) else { ok = false; continue }
                guard let first = duration(target, "firstResponse", at: targetPath, reader), let resolution = duration(target, "resolution", at: targetPath, reader)
                else { ok = false; continue }
                if resolution < first {
                    reader.report("\(targetPath).resolution", target["resolution"], "must not be shorter than firstResponse")
                    ok = false
                    continue
                }
                let value = ResponseTarget(firstResponseMinutes: first, resolutionMinutes: resolution)
                if group == "default" { byPriority[priority] = value } else { byCategory[TicketCategory(rawValue: group)!, default: [:]][priority] = value }
            }
        }
        return ok ? ResponseTargets(byPriority: byPriority, byCategory: byCategory) : nil
    }

    /// A duration of service time, `90m`, `4h`, `1h30m`, as minutes (1 minute to 1,000 hours).
    static func duration(_ map: [String: ConfigNode], _ key: String, at path: String, _ reader: ConfigReader) -> Int? {
        guard let raw = reader.text(map, key, at: path) else { return nil }
        guard let minutes = ServiceDuration.minutes(raw), (1...60_000).contains(minutes) else {
            reader.report(ConfigReader.join(path, key), map[key], "must be a duration of service time such as 30m, 4h or 1h30m (up to 1000h), not '\(raw)'")
            return nil
        }
        return minutes
    }
}

/// Service-time durations as the program file writes them: `30m`, `4h`, `1h30m`.
public enum ServiceDuration {
    /// The minutes of `text`, or `nil` when it is not such a duration.
    public static func minutes(_ text: String) -> Int? {
        var total = 0, number = "", seen = false, lastUnit: Character?
        for character in text {
            if character.isASCII, character.isNumber {
                number.append(character)
            } else if character == "h" || character == "m" {
                guard let value = Int(number), number.count <= 6 else { return nil }
                if character == "h" { guard lastUnit == nil else { return nil }; total += value * 60 } else {
                    guard lastUnit != "m" else { return nil }; total += value
                }
                lastUnit = character
                number = ""
                seen = true
            } else {
                return nil
            }
        }
        return seen && number.isEmpty ? total : nil
    }

    /// `1h30m`, `4h`, `45m`.
    public static func text(minutes: Int) -> String {
        switch (minutes / 60, minutes % 60) {
        case (0, let m): "\(m)m"
        case (let h, 0): "\(h)h"
        case (let h, let m): "\(h)h\(m)m"
        }
    }
}
