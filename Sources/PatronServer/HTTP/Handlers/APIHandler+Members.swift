import Foundation
import PatronCore
import PatronServices
import PatronStore

extension APIHandler {
    func enrollMember(_ input: Operations.EnrollMember.Input) async throws -> Operations.EnrollMember.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the enrollment as JSON") }
        let request = try domain(body, as: EnrollmentRequest.self, field: "body")
        let member = try await store.enroll(request, key: nil, origin: ConsentOrigin(source: .api, actor: actor))
        return .created(.init(body: .json(.init(member))))
    }

    func getMember(_ input: Operations.GetMember.Input) async throws -> Operations.GetMember.Output {
        .ok(.init(body: .json(.init(try await member(input.path.member)))))
    }

    func updateMember(_ input: Operations.UpdateMember.Input) async throws -> Operations.UpdateMember.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the update as JSON") }
        let update = try domain(body, as: ProfileUpdate.self, field: "body")
        let identities = try domain(body.addIdentities ?? [], as: [Identity].self, field: "addIdentities")
        let target = try await member(input.path.member)
        let updated = try await store.updateMember(target.id, profile: update, addIdentities: identities, key: nil, origin: ConsentOrigin(source: .api, actor: actor))
        return .ok(.init(body: .json(.init(updated))))
    }

    func eraseMember(_ input: Operations.EraseMember.Input) async throws -> Operations.EraseMember.Output {
        let target = try await member(input.path.member)
        let erased = try await MemberDataRights(store: store).erase(member: target.id, actor: actor, at: now())
        return .ok(.init(body: .json(try Bridge.convert(erased))))
    }

    func exportMember(_ input: Operations.ExportMember.Input) async throws -> Operations.ExportMember.Output {
        let target = try await member(input.path.member)
        let export = try await MemberDataRights(store: store).export(member: target.id, actor: actor, at: now())
        return .ok(.init(body: .json(try Bridge.convert(export))))
    }

    func getStatement(_ input: Operations.GetStatement.Input) async throws -> Operations.GetStatement.Output {
        let statement = try await store.statement(reference: input.path.member, entries: input.query.entries ?? 50)
        return .ok(.init(body: .json(try .init(statement))))
    }

    func adjustPoints(_ input: Operations.AdjustPoints.Input) async throws -> Operations.AdjustPoints.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the adjustment as JSON") }
        let target = try await member(input.path.member)
        let outcome = try await AdminActions(store: store).adjust(
            Adjustment(memberId: target.id, points: body.points, reason: body.reason, actor: actor, key: input.headers.idempotencyKey, at: now()))
        return .ok(.init(body: .json(try Bridge.convert(outcome))))
    }

    func overrideLevel(_ input: Operations.OverrideLevel.Input) async throws -> Operations.OverrideLevel.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the level as JSON") }
        let target = try await member(input.path.member)
        let updated = try await AdminActions(store: store).setLevel(
            LevelOverrideRequest(
                memberId: target.id, level: body.level, until: try instant(body.until, field: "until"), reason: body.reason, actor: actor,
                key: input.headers.idempotencyKey, at: now()))
        return .ok(.init(body: .json(try Bridge.convert(updated))))
    }

    func getLevelHistory(_ input: Operations.GetLevelHistory.Input) async throws -> Operations.GetLevelHistory.Output {
        let target = try await member(input.path.member)
        return .ok(.init(body: .json(try Bridge.convert(try await store.levelHistory(member: target.id)))))
    }

    func recordActivity(_ input: Operations.RecordActivity.Input) async throws -> Operations.RecordActivity.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the activity as JSON") }
        let target = try await member(input.path.member)
        let outcome = try await store.recordActivity(
            ActivityRequest(memberId: target.id, kind: body.kind, key: input.headers.idempotencyKey, at: try instant(body.at, field: "at")))
        return .ok(.init(body: .json(try Bridge.convert(outcome))))
    }

    func listCoupons(_ input: Operations.ListCoupons.Input) async throws -> Operations.ListCoupons.Output {
        let target = try await member(input.path.member)
        return .ok(.init(body: .json(try Bridge.convert(try await store.coupons(member: target.id)))))
    }
}
