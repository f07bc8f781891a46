import Foundation

extension ProgramReader {
    /// Reads the `messages` section: `triggers` (each an `id`, the cause `on`, `channels` in preference order, and
    /// optionally `kind`, `purpose`, `delay`, `segment`, `stopWhen` and the cause's own keys), `quietHours` and
    /// `frequencyCap`. Every problem is reported at its path and line.
    static func readMessages(_ node: ConfigNode, _ reader: ConfigReader) -> MessagePlan? {
        let path = "messages"
        guard let map = reader.mapping(node, at: path, allowed: ["triggers", "quietHours", "frequencyCap"]) else { return nil }
        var ok = true
        var triggers: [MessageTrigger] = []
        var ids: Set<String> = []
        for (itemPath, item) in reader.items(map, "triggers", at: path) {
            guard let trigger = readTrigger(item, at: itemPath, reader) else {
                ok = false
                continue
            }
            if !ids.insert(trigger.id).inserted {
                reader.report("\(itemPath).id", item, "'\(trigger.id)' names another trigger too")
                ok = false
            }
            triggers.append(trigger)
        }
        var quietHours: QuietHours?
        if let quietNode = map["quietHours"] {
            let at = "\(path).quietHours"
            if let quiet = reader.mapping(quietNode, at: at, allowed: ["from", "to", "channels"]) {
                let from = clockTime(quiet, "from", at: at, reader)
                let to = clockTime(quiet, "to", at: at, reader)
                let channels = readChannels(quiet, at: at, required: false, reader)
                if let from, let to, from == to { reader.report("\(at).to", quiet["to"], "must differ from 'from'") }
                if let from, let to, from != to, let channels {
                    quietHours = QuietHours(from: from, to: to, channels: channels.isEmpty ? [.email, .sms, .push] : Set(channels))
                } else {
                    ok = false
                }
            } else {
                ok = false
            }
        }
        var marketingPerWeek: Int?
        if let capNode = map["frequencyCap"] {
            let at = "\(path).frequencyCap"
            if let cap = reader.mapping(capNode, at: at, allowed: ["marketingPerWeek"]) {
                marketingPerWeek = reader.integer(cap, "marketingPerWeek", at: at, in: 1...100)
                if marketingPerWeek == nil { ok = false }
            } else {
                ok = false
            }
        }
        return ok ? MessagePlan(triggers: triggers, quietHours: quietHours, marketingPerWeek: marketingPerWeek) : nil
    }

    private static func readTrigger(_ node: ConfigNode, at path: String, _ reader: ConfigReader) -> MessageTrigger? {
        let keys: Set<String> = ["id", "on", "kind", "purpose", "delay", "segment", "channels", "stopWhen", "days", "withinDays", "topPercent", "every"]
        guard let map = reader.mapping(node, at: path, allowed: keys) else { return nil }
        var ok = true
        let id = reader.text(map, "id", at: path)
        if let id, !MessageTriggerName.isValid(id) {
            reader.report("\(path).id", map["id"], "must be 1 to 32 letters, digits, '-' or '_', not '\(id)'")
            ok = false
        }
        var name: MessageCause.Name?
        if let on = reader.text(map, "on", at: path) {
            name = MessageCause.Name(rawValue: on)
            if name == nil {
                reader.report("\(path).on", map["on"], "'\(on)' is not a cause; one of \(MessageCause.Name.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        // Keys that belong to one cause only.
        let own: [String: MessageCause.Name] = ["days": .inactive, "withinDays": .pointsExpiring, "topPercent": .thankYou, "every": .thankYou]
        if let name {
            for (key, cause) in own where map[key] != nil && cause != name {
                reader.report("\(path).\(key)", map[key], "belongs to on: \(cause.rawValue), not on: \(name.rawValue)")
                ok = false
            }
        }
        var kind: MessageKind?
        if let text = reader.text(map, "kind", at: path, required: false) {
            kind = MessageKind(rawValue: text)
            if kind == nil {
                reader.report("\(path).kind", map["kind"], "'\(text)' is not a message kind; one of \(MessageKind.allCases.map(\.rawValue).joined(separator: ", "))")
                ok = false
            }
        }
        var purpose: MessagePurpose?
        if let text = reader.text(map, "purpose", at: path, required: false) {
            purpose = MessagePurpose(rawValue: text)
            if purpose == nil {
                reader.report("\(path).purpose", map["purpose"], "must be transactional or marketing, not '\(text)'")
                ok = false
            }
        }
        var delay = 0
        if let text = reader.text(map, "delay", at: path, required: false) {
            if let minutes = MessageDelay.minutes(text), minutes <= 366 * 1_440 {
                delay = minutes
            } else {
                reader.report("\(path).delay", map["delay"], "must be a delay such as 0, 30m, 2h, 3d or 1d12h (up to 366d), not '\(text)'")
                ok = false
            }
        }
        let segment = reader.text(map, "segment", at: path, required: false)
        if let segment, segment.trimmingCharacters(in: .whitespaces).isEmpty || segment.count > 100 {
            reader.report("\(path).segment", map["segment"], "must be a segment's name")
            ok = false
        }
        let channels = readChannels(map, at: path, required: true, reader)
        var stops: Set<MessageStop> = []
        for (index, text) in reader.strings(map, "stopWhen", at: path).enumerated() {
            guard let stop = MessageStop(rawValue: text) else {
                let item = element(map["stopWhen"], index)
                reader.report("\(path).stopWhen[\(index)]", item, "'\(text)' is not a stop condition; one of \(MessageStop.allCases.map(\.rawValue).joined(separator: ", "))")
                ok = false
                continue
            }
            stops.insert(stop)
        }

        var cause: MessageCause?
        switch name {
        case .enrolled?: cause = .enrolled
        case .firstOrder?: cause = .firstOrder
        case .orderDelivered?: cause = .orderDelivered
        case .levelChanged?: cause = .levelChanged
        case .rewardRedeemed?: cause = .rewardRedeemed
        case .rewardFulfilled?: cause = .rewardFulfilled
        case .careReply?: cause = .careReply
        case .birthday?: cause = .birthday
        case .anniversary?: cause = .anniversary
        case .pointsExpiring?:
            cause = reader.integer(map, "withinDays", at: path, in: 1...365).map { MessageCause.pointsExpiring(withinDays: $0) }
        case .thankYou?:
            let top = map["topPercent"] == nil ? nil : reader.integer(map, "topPercent", at: path, in: 1...100)
            var every = ThankYouPeriod.quarter
            if let text = reader.text(map, "every", at: path, required: false) {
                if let period = ThankYouPeriod(rawValue: text) { every = period } else {
                    reader.report("\(path).every", map["every"], "must be month, quarter or year, not '\(text)'")
                    ok = false
                }
            }
            if map["topPercent"] == nil, segment == nil {
                reader.report("\(path).topPercent", nil, "is required unless the trigger names a segment (its members are thanked)")
                ok = false
            }
            if map["topPercent"] != nil, top == nil { ok = false }
            cause = .thankYou(topPercent: top, every: every)
        case .inactive?:
            var days: [Int] = []
            let items = reader.items(map, "days", at: path)
            if map["days"] == nil { reader.report("\(path).days", nil, "is required: the days without an order of each step, such as [30, 60, 90]") }
            for (itemPath, item) in items {
                guard case .scalar(let text, _) = item, let day = Int(text), (1...3_650).contains(day) else {
                    reader.report(itemPath, item, "must be a whole number of days from 1 to 3650")
                    ok = false
                    continue
                }
                if let last = days.last, day <= last {
                    reader.report(itemPath, item, "must be more than the step before (\(last))")
                    ok = false
                }
                days.append(day)
            }
            if map["days"] != nil, items.isEmpty || items.count > 10 {
                reader.report("\(path).days", map["days"], "must list 1 to 10 steps")
                ok = false
            }
            if !days.isEmpty { cause = .inactive(days: days) }
            // A win-back stops when the member orders, unless the file says otherwise.
            if map["stopWhen"] == nil { stops = [.ordered] }
        case nil: break
        }
        guard ok, let id, let cause, let channels, !channels.isEmpty else { return nil }
        return MessageTrigger(
            id: id, cause: cause, kind: kind, purpose: purpose, delayMinutes: delay, segment: segment, channels: channels, stopWhen: stops)
    }

    /// A list of message channels without duplicates (webhooks are not a message channel).
    private static func readChannels(_ map: [String: ConfigNode], at path: String, required: Bool, _ reader: ConfigReader) -> [MessageChannel]? {
        if map["channels"] == nil {
            if required { reader.report("\(path).channels", nil, "is required: the channels in order of preference, such as [email, sms]") }
            return required ? nil : []
        }
        var channels: [MessageChannel] = []
        var ok = true
        for (index, text) in reader.strings(map, "channels", at: path).enumerated() {
            let item = element(map["channels"], index)
            guard let channel = MessageChannel(rawValue: text), channel != .webhook else {
                reader.report("\(path).channels[\(index)]", item, "'\(text)' is not a message channel; one of email, sms, push, inbox")
                ok = false
                continue
            }
            if channels.contains(channel) {
                reader.report("\(path).channels[\(index)]", item, "\(text) is listed twice")
                ok = false
            }
            channels.append(channel)
        }
        if ok, channels.isEmpty, required {
            reader.report("\(path).channels", map["channels"], "must name at least one channel")
            ok = false
        }
        return ok ? channels : nil
    }

    /// The `index`th item of a list node (for its line), or the node itself.
    private static func element(_ node: ConfigNode?, _ index: Int) -> ConfigNode? {
        if case .sequence(let items, _)? = node, index < items.count { return items[index] }
        return node
    }

    private static func clockTime(_ map: [String: ConfigNode], _ key: String, at path: String, _ reader: ConfigReader) -> Int? {
        guard let text = reader.text(map, key, at: path) else { return nil }
        guard let minutes = QuietHours.minutes(text) else {
            reader.report("\(path).\(key)", map[key], "must be a time of day as HH:mm, such as 21:00, not '\(text)'")
            return nil
        }
        return minutes
    }
}

/// The rule for trigger names: they become part of message keys.
public enum MessageTriggerName {
    /// Whether `text` is 1 to 32 ASCII letters, digits, `-` or `_`.
    public static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 32
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }
}

/// Delays as the program file writes them: `0`, `30m`, `2h`, `3d`, `1d12h`.
public enum MessageDelay {
    /// The minutes of `text`, or nil when it is not such a delay.
    public static func minutes(_ text: String) -> Int? {
        if text == "0" { return 0 }
        var total = 0
        var number = ""
        var lastRank = 3
        for character in text {
            if character.isASCII, character.isNumber {
                number.append(character)
                continue
            }
            let rank: Int
            let scale: Int
            switch character {
            case "d": (rank, scale) = (2, 1_440)
            case "h": (rank, scale) = (1, 60)
            case "m": (rank, scale) = (0, 1)
            default: return nil
            }
            guard rank < lastRank, let value = Int(number), number.count <= 6 else { return nil }
            total += value * scale
            lastRank = rank
            number = ""
        }
        return number.isEmpty && lastRank < 3 ? total : nil
    }
}
