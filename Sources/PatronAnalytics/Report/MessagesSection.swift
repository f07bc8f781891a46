import Foundation
import PatronCore

extension AnalyticsReport {
    /// A message kind's name for a reader (the data carries its code: `levelChanged` …).
    static func messageKindLabel(_ kind: MessageKind, _ l: ReportLanguage) -> String {
        switch kind {
        case .welcome: l.t("Welcome", "欢迎")
        case .firstOrder: l.t("First order", "首单")
        case .orderDelivered: l.t("Order delivered", "订单送达")
        case .levelChanged: l.t("Level changed", "等级变化")
        case .pointsExpiring: l.t("Points expiring", "积分即将过期")
        case .birthday: l.t("Birthday", "生日")
        case .anniversary: l.t("Anniversary", "入会周年")
        case .thankYou: l.t("Thank-you", "感谢")
        case .inactive: l.t("Win-back", "唤回")
        case .rewardRedeemed: l.t("Reward redeemed", "奖励兑换")
        case .rewardFulfilled: l.t("Reward fulfilled", "奖励发货")
        case .campaign: l.t("Campaign", "营销活动")
        case .confirmConsent: l.t("Consent confirmation", "订阅确认")
        case .signInCode: l.t("Sign-in code", "登录验证码")
        case .careReply: l.t("Care reply", "客服回复")
        }
    }

    /// The "Messages" section, when the report has message statistics.
    func messagesSection(_ l: ReportLanguage) -> String? {
        guard let m = messages else { return nil }
        func rate(_ count: Int, _ row: MessageStats.Row) -> String {
            HTML.count(count) + " (" + HTML.percent(row.sent == 0 ? nil : Double(count) / Double(row.sent)) + ")"
        }
        func cells(_ row: MessageStats.Row) -> [String] {
            let name = row.kind.map { Self.messageKindLabel($0, l) } ?? l.t("All messages", "全部消息")
            let step = row.step.map { l.t("step \($0)", "第 \($0) 步") } ?? ""
            return [
                name, row.journey ?? "", step, HTML.count(row.sent), HTML.count(row.bounced), rate(row.opened, row), rate(row.clicked, row),
                HTML.count(row.unsubscribed), HTML.count(row.orders), money(Double(row.revenue)),
            ]
        }
        let rows = m.rows.map(cells) + (m.rows.isEmpty ? [] : [cells(m.total)])
        let table = table(
            l,
            [l.t("Kind", "类型"), l.t("Journey", "旅程"), l.t("Step", "步骤"), l.t("Sent", "已发送"), l.t("Bounced", "退信"), l.t("Opened", "已打开"),
             l.t("Clicked", "已点击"), l.t("Unsubscribed", "退订"), l.t("Orders", "订单"), l.t("Revenue", "销售额")],
            rows, dataColumns: [1])
        let note = l.t(
            "Orders and unsubscribes count for the member's latest message sent within \(m.windowDays) days before them (last touch). Opens count e-mails whose pixel was loaded and inbox messages the member read; rates are per message sent.",
            "订单和退订归属于其发生前 \(m.windowDays) 天内会员收到的最后一条消息（末次触达）。打开数按加载了跟踪像素的邮件和会员已阅读的站内信计；比率以已发送消息为基数。")
        // Without the shop's time zone the period is written in UTC, and says so.
        let zone = timeZone ?? TimeZone(secondsFromGMT: 0)!
        let period = HTML.escape(l.t("Messages queued ", "排队时间："))
            + HTML.element("span", ["translate": "no"], HTML.escape(m.period(in: zone, named: timeZone?.identifier ?? "UTC")))
            + (timeZone == nil ? "" : HTML.escape(l.t(" (shop's time)", "（店铺时间）")))
        return section(l.t("Messages", "消息触达"), HTML.element("p", ["class": "meta"], period + " · " + HTML.escape(note)) + table)
    }
}

extension MessageStats {
    /// The period as text in `zone`, followed by its `name`: `yyyy-MM-dd HH:mm – yyyy-MM-dd HH:mm Asia/Shanghai`.
    func period(in zone: TimeZone, named name: String) -> String {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = zone
        format.dateFormat = "yyyy-MM-dd HH:mm"
        return format.string(from: since) + " – " + format.string(from: until) + " " + name
    }
}
