extension ProgramReader {
    /// Reads `guardRails`: percentages from 0 to 100 (liability growth up to 10,000), and intended level shares that
    /// name the program's levels and add up to at most 100.
    static func readGuardRails(_ node: ConfigNode, _ levels: LevelPolicy?, _ reader: ConfigReader) -> GuardRails? {
        let path = "guardRails"
        guard let map = reader.mapping(node, at: path, allowed: ["costShareOfSales", "liabilityGrowth", "levelShares"]) else { return nil }
        var ok = true
        func percent(_ key: String, most: Int64) -> Rate? {
            guard map[key] != nil else { return nil }
            guard let rate = reader.rate(map, key, at: path) else { ok = false; return nil }
            guard rate.numerator <= rate.denominator * most else {
                reader.report("\(path).\(key)", map[key], "must be a percentage from 0 to \(most), such as 2 or 1.5, not '\(rate)'")
                ok = false
                return nil
            }
            return rate
        }
        var rails = GuardRails(costShareOfSales: percent("costShareOfSales", most: 100), liabilityGrowth: percent("liabilityGrowth", most: 10_000))
        if let sharesNode = map["levelShares"] {
            let sharesPath = "\(path).levelShares"
            if case .mapping(let pairs, _) = sharesNode {
                let names = Set(levels?.levels.map(\.name) ?? [])
                var shares: [String: ConfigNode] = [:]
                for pair in pairs { shares[pair.key] = pair.value }
                var total = 0.0
                for pair in pairs {
                    let at = "\(sharesPath).\(pair.key)"
                    if levels == nil {
                        reader.report(at, pair.value, "the program has no levels")
                        ok = false
                        continue
                    }
                    guard names.contains(pair.key) else {
                        reader.report(at, pair.value, "'\(pair.key)' is not a level of the program (\(levels!.levels.map(\.name).joined(separator: ", ")))")
                        ok = false
                        continue
                    }
                    guard let rate = reader.rate(shares, pair.key, at: sharesPath) else { ok = false; continue }
                    guard rate.numerator <= rate.denominator * 100 else {
                        reader.report(at, pair.value, "must be a percentage from 0 to 100, not '\(rate)'")
                        ok = false
                        continue
                    }
                    rails.levelShares[pair.key] = rate
                    total += rate.doubleValue
                }
                if total > 100.000_001 {
                    reader.report(sharesPath, sharesNode, "the shares add up to more than 100 %")
                    ok = false
                }
            } else {
                reader.report(sharesPath, sharesNode, "must be a mapping of level names to percentages, such as { Leaf: 80, Bud: 15 }")
                ok = false
            }
        }
        return ok ? rails : nil
    }
}
