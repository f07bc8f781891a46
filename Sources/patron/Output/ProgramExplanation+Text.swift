import PatronServices

extension ProgramExplanation {
    /// The explanation as terminal text, for `patron program explain`: the levels as an aligned table.
    var text: String {
        var out = "\(name)\n\(setting)\n\(enrollment)\n"
        if let levelPolicy {
            var table = Table(["level", "from", "discount", "spend & save", "free shipping from", "birthday", "perks"], rightAligned: [1])
            for level in levels {
                table.add([level.name, level.from, level.discount, level.spendAndSave, level.freeShippingFrom, level.birthday, level.perks])
            }
            out += "\n\(levelPolicy)\n" + table.text + "\n"
        }
        out += "\nEarning (\(earningHeading))\n"
        for rule in rules { out += "  \(rule.number). \(rule.name): \(rule.text)\n" }
        out += "  \(base)\n"
        if !activities.isEmpty { out += "\nActivities\n" + activities.map { "  \($0)\n" }.joined() }
        if let pointsAsPayment { out += "\n\(pointsAsPayment)\n" }
        out += "\n\(pendingAndExpiry)\n"
        if !rewards.isEmpty {
            out += "\nRewards\n" + rewards.map { "  \($0.id) \($0.name): \($0.cost); \($0.kind)" + ($0.limits.isEmpty ? "" : "; \($0.limits)") + "\n" }.joined()
        }
        if let transfers { out += "\n\(transfers)\n" }
        if !partners.isEmpty { out += "\nPartners\n" + partners.map { "  \($0)\n" }.joined() }
        return out
    }
}
