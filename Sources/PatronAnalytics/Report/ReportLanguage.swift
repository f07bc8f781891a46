/// The language of an ``AnalyticsReport``'s labels (data such as customer ids is shown as it is).
public enum ReportLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    /// English.
    case english = "en"
    /// Simplified Chinese (简体中文).
    case chinese = "zh-Hans"

    /// Picks the label for this language.
    func t(_ english: String, _ chinese: String) -> String { self == .english ? english : chinese }

    /// A readable name for an enum's raw value (`at_risk` → "at risk" / "流失风险").
    func name(_ raw: String) -> String {
        if self == .english { return raw.replacingOccurrences(of: "_", with: " ") }
        return Self.chineseNames[raw] ?? raw
    }

    static let chineseNames: [String: String] = [
        "champions": "冠军客户", "loyal": "忠诚客户", "new": "新客户", "potential": "潜力客户", "at_risk": "流失风险",
        "hibernating": "沉睡客户", "lost": "已流失",
        "suspect": "疑似客户", "prospect": "预期客户", "suspect_or_prospect": "未购买会员",
        "first_time_buyer": "首次购买者", "repeat_buyer": "重复购买者", "advocate": "拥护者",
        "non_loyal": "非忠诚", "inertial": "惰性忠诚", "latent": "潜在忠诚", "absolute": "绝对忠诚",
        "price": "价格型", "incentive": "激励型", "habitual": "习惯/便利型", "super_value": "超值型",
        "unclassified": "未分类",
        "below": "低于基准", "within": "基准之内", "above": "高于基准",
        "history": "历史数据估计", "given": "指定", "default_year_one": "默认值（第一年）",
        "default_year_two": "默认值（第二年）", "default_mature": "默认值（成熟期）",
        "loses_over_50": "减少 50 % 以上", "loses_10_50": "减少 10–50 %", "loses_under_10": "减少不到 10 %", "unchanged": "不变",
        "gains_under_10": "增加不到 10 %", "gains_10_50": "增加 10–50 %", "gains_over_50": "增加 50 % 以上", "no_purchases": "无购买",
    ]
}
