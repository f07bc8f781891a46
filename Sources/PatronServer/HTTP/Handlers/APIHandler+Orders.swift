import Foundation
import PatronCore
import PatronServices
import PatronStore

extension APIHandler {
    func submitOrderEvent(_ input: Operations.SubmitOrderEvent.Input) async throws -> Operations.SubmitOrderEvent.Output {
        guard case .json(var body) = input.body else { throw APIError.invalid("send the event as JSON") }
        body.occurredAt = try instant(body.occurredAt, field: "occurredAt")
        let event = try domain(body, as: OrderEvent.self, field: "body")
        try event.validate()
        // Orders from unknown customers enroll them, as the program's enrollment rule allows.
        guard let result = await store.apply([event], options: ApplyOptions(enrollUnknownMembers: true)).first else {
            throw PatronError(.storage, "the store answered nothing for event \(event.id)")
        }
        return .ok(.init(body: .json(try Bridge.convert(try result.get()))))
    }

    func simulateOrder(_ input: Operations.SimulateOrder.Input) async throws -> Operations.SimulateOrder.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the simulation as JSON") }
        let program = try await program().program
        let cart = try cart(body.cart)
        let birthday = try body.birthday.map { text -> LocalDate in
            guard let date = LocalDate(iso: text) else { throw APIError.invalid("birthday '\(text)' is not a yyyy-MM-dd date", fields: [.init(path: "birthday", message: "not a date")]) }
            return date
        }
        let member = MemberDescription(level: body.level, tags: Set(body.tags ?? []), birthday: birthday, isFirstOrder: body.firstOrder ?? false)
        let earning = try SimulationService(program: program).order(cart, member: member, at: try instant(body.at, field: "at"))
        return .ok(.init(body: .json(.init(points: earning.points, breakdown: try Bridge.convert(earning.breakdown)))))
    }

    func quoteCart(_ input: Operations.QuoteCart.Input) async throws -> Operations.QuoteCart.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the cart as JSON") }
        let service = QuoteService(program: try await program().program, store: store)
        var cart = try cart(body.cart)
        cart.usePoints = body.usePoints
        let reference = input.path.member.removingPercentEncoding ?? input.path.member
        let quote = try await service.quote(
            QuoteRequest(cart: cart, buyer: .member(reference: reference), couponCode: body.couponCode, at: try instant(body.at, field: "at")))
        return .ok(.init(body: .json(try Bridge.convert(quote))))
    }

    /// The domain's cart; its lines are checked as an order's would be.
    private func cart(_ cart: Components.Schemas.Cart) throws -> Cart {
        let lines = try domain(cart.lines, as: [OrderLine].self, field: "cart.lines")
        let result = Cart(lines: lines, shipping: cart.shipping ?? 0, channel: cart.channel)
        try Order(id: "cart", member: try .customer("cart"), lines: lines, shipping: result.shipping).validate()
        return result
    }
}
