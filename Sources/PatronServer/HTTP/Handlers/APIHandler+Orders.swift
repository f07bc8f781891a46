import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

extension APIHandler {
    func submitOrderEvent(_ input: Operations.SubmitOrderEvent.Input) async throws -> Operations.SubmitOrderEvent.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the event as JSON") }
        let event = Result { try OrderEvent(body, field: "body") { try instant($0, field: "occurredAt") } }
        return .ok(.init(body: .json(.init(try await applyOrderEvents([event])[0].get()))))
    }

    func simulateOrder(_ input: Operations.SimulateOrder.Input) async throws -> Operations.SimulateOrder.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the simulation as JSON") }
        let earning = try await simulation(
            cart: { try self.cart(body.cart) }, level: body.level, tags: body.tags, birthday: body.birthday, firstOrder: body.firstOrder,
            at: { try self.instant(body.at, field: "at") })
        return .ok(.init(body: .json(.init(points: earning.points, breakdown: earning.breakdown.map(Components.Schemas.RuleContribution.init)))))
    }

    /// What a cart would earn a member described by level, tags, birthday and first order; shared by the generated
    /// handler and the direct route (`DirectRoutes`). The errors keep their order: no program, the cart, the birthday,
    /// the instant.
    func simulation(
        cart: () throws -> Cart, level: String?, tags: [String]?, birthday: String?, firstOrder: Bool?, at: () throws -> Date
    ) async throws -> Earning {
        let program = try await program().program
        let cart = try cart()
        let birthday = try birthday.map { text -> LocalDate in
            guard let date = LocalDate(iso: text) else { throw APIError.invalid("birthday '\(text)' is not a yyyy-MM-dd date", fields: [.init(path: "birthday", message: "not a date")]) }
            return date
        }
        let member = MemberDescription(level: level, tags: Set(tags ?? []), birthday: birthday, isFirstOrder: firstOrder ?? false)
        return try SimulationService(program: program).order(cart, member: member, at: try at())
    }

    func quoteCart(_ input: Operations.QuoteCart.Input) async throws -> Operations.QuoteCart.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the cart as JSON") }
        let quote = try await quote(
            member: input.path.member, cart: Result { try self.cart(body.cart) },
            at: Result { try self.instant(body.at, field: "at") }, usePoints: body.usePoints, couponCode: body.couponCode)
        return .ok(.init(body: .json(.init(quote))))
    }

    /// The checkout quote for the member at `reference` (decoded from the path); shared by the generated handler and the
    /// direct route (`DirectRoutes`). The program, the member and their earning context come in one read; the errors
    /// keep their order: no program, then the cart, then the instant, then the member.
    func quote(
        member reference: String, cart checkedCart: Result<Cart, any Error>, at checkedInstant: Result<Date, any Error>, usePoints: Int64?, couponCode: String?
    ) async throws -> Quote {
        let inputs: CheckoutInputs
        do {
            inputs = try await store.checkoutInputs(member: reference, at: (try? checkedInstant.get()) ?? now())
        } catch let error as PatronError where error.code == .noProgram {
            throw error
        } catch {
            _ = try checkedCart.get()
            _ = try checkedInstant.get()
            throw error
        }
        var priced = try checkedCart.get()
        priced.usePoints = usePoints
        let request = QuoteRequest(cart: priced, buyer: .member(reference: reference), couponCode: couponCode, at: try checkedInstant.get())
        return try await QuoteService(program: inputs.program.program, store: store).quote(request, inputs: inputs)
    }

    /// The domain's cart from the generated type's.
    private func cart(_ cart: Components.Schemas.Cart) throws -> Cart {
        try self.cart(cart.lines.map(OrderLine.init), shipping: cart.shipping, channel: cart.channel)
    }

    /// The domain's cart; its lines are checked as an order's would be.
    func cart(_ lines: [OrderLine], shipping: Int64?, channel: String?) throws -> Cart {
        let result = Cart(lines: lines, shipping: shipping ?? 0, channel: channel)
        try Order(id: "cart", member: try .customer("cart"), lines: lines, shipping: result.shipping).validate()
        return result
    }
}

extension APIHandler {
    /// A batch of order events: each checked and applied as if sent alone, in one pass through the store's writer.
    func submitOrderEvents(_ input: Operations.SubmitOrderEvents.Input) async throws -> Operations.SubmitOrderEvents.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the events as JSON") }
        let events = body.events.enumerated().map { index, raw in
            Result { try OrderEvent(raw, field: "events[\(index)]") { try instant($0, field: "events[\(index)].occurredAt") } }
        }
        let results = zip(body.events, try await applyOrderEvents(events)).map { raw, result in
            switch result {
            case .success(let outcome): return Components.Schemas.OrderEventResult(eventId: raw.id, status: 200, outcome: .init(outcome))
            case .failure(let error):
                let answer = ErrorMiddleware<BasicRequestContext>.apiError(for: error)
                return Components.Schemas.OrderEventResult(
                    eventId: raw.id, status: Int(answer.status.code), error: .init(code: answer.code, message: answer.message))
            }
        }
        return .ok(.init(body: .json(.init(results: results))))
    }

    /// Order events as read from a request, each checked and applied as if sent alone, in one pass through the store's
    /// writer: each one's outcome, or the error it would have had alone, in the order given. When the database could
    /// take none of them, the request as a whole is unavailable or busy, and throws: send it all again.
    func applyOrderEvents(_ events: [Result<OrderEvent, any Error>]) async throws -> [Result<OrderOutcome, any Error>] {
        var results = [Result<OrderOutcome, any Error>?](repeating: nil, count: events.count)
        var accepted: [(index: Int, event: OrderEvent)] = []
        accepted.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            do {
                let event = try event.get()
                try event.validate()
                accepted.append((index, event))
            } catch {
                results[index] = .failure(error)
            }
        }
        // Orders from unknown customers enroll them, as the program's enrollment rule allows.
        let applied = await store.apply(accepted.map(\.event), options: ApplyOptions(enrollUnknownMembers: true))
        guard applied.count == accepted.count else { throw PatronError(.storage, "the store answered \(applied.count) of \(accepted.count) events") }
        for ((index, _), result) in zip(accepted, applied) { results[index] = result.mapError { $0 } }
        let failures = applied.compactMap { result -> PatronError? in if case .failure(let error) = result { error } else { nil } }
        if let first = failures.first, failures.count == applied.count, [.unavailable, .busy].contains(first.code),
            failures.allSatisfy({ $0.code == first.code })
        {
            throw first
        }
        return results.compactMap { $0 }
    }
}
