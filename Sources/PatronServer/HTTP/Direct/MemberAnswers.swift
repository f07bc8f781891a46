import PatronCore
import PatronStore

// A member, their lots and their ledger entries as openapi.yaml's `Member`, `Lot`, `LedgerEntry` and `Statement`:
// every member read, statement and storefront page asks for them. Through the generated types and Foundation's
// encoder a statement of 50 entries cost 2.5 million instructions of its 3.3 million (docs/benchmarks.md).

extension JSONAnswer {
    mutating func member(_ member: Member) {
        object {
            $0.key("balances")
            $0.object {
                $0.field("active", member.balances.active)
                $0.field("lifetimeEarned", member.balances.lifetimeEarned)
                $0.field("lifetimeSpent", member.balances.lifetimeSpent)
                $0.field("pending", member.balances.pending)
            }
            $0.field("enrolledAt", instant: member.enrolledAt)
            $0.field("erased", member.isErased)
            $0.field("erasedAt", instant: member.erasedAt)
            $0.field("id", member.id)
            $0.key("identities")
            $0.array(member.identities) { answer, identity in
                answer.object {
                    $0.field("kind", identity.kind)
                    $0.field("value", identity.value)
                }
            }
            $0.key("level")
            $0.level(member.level)
            $0.key("profile")
            $0.profile(member.profile)
        }
    }

    /// The profile: tags and consents always present, empty or not, as the domain writes them.
    mutating func profile(_ profile: Profile) {
        object {
            $0.field("birthday", profile.birthday?.description)
            $0.field("channel", profile.channel)
            $0.field("city", profile.city)
            $0.key("consents")
            $0.flags(profile.consents)
            $0.field("gender", profile.gender)
            $0.field("locale", profile.locale)
            $0.field("name", profile.name)
            $0.field("region", profile.region)
            $0.field("tags", strings: profile.tags)
        }
    }

    mutating func level(_ state: LevelState) {
        object {
            $0.field("level", state.level)
            if let override = state.override {
                $0.key("override")
                $0.object {
                    $0.field("level", override.level)
                    $0.field("reason", override.reason)
                    $0.field("until", instant: override.until)
                }
            }
            $0.field("since", instant: state.since)
            $0.field("validUntil", instant: state.validUntil)
        }
    }

    mutating func lot(_ lot: Lot) {
        object {
            $0.field("createdAt", instant: lot.createdAt)
            $0.field("expiresAt", instant: lot.expiresAt)
            $0.field("id", lot.id)
            $0.field("memberId", lot.memberId)
            $0.field("orderId", lot.orderId)
            $0.field("points", lot.points)
            $0.field("remaining", lot.remaining)
        }
    }

    mutating func entry(_ entry: LedgerEntry) {
        object {
            $0.field("activeDelta", entry.activeDelta)
            $0.field("actor", entry.actor)
            $0.field("id", entry.id)
            $0.field("kind", entry.kind.rawValue)
            $0.field("memberId", entry.memberId)
            $0.field("occurredAt", instant: entry.occurredAt)
            $0.field("orderId", entry.orderId)
            $0.field("pendingDelta", entry.pendingDelta)
            $0.field("programVersion", entry.programVersion)
            $0.field("reason", entry.reason)
        }
    }

    /// The member, their open lots and their latest entries.
    mutating func statement(_ statement: AccountStatement) {
        object {
            $0.key("entries")
            $0.array(statement.entries) { $0.entry($1) }
            $0.key("lots")
            $0.array(statement.lots) { $0.lot($1) }
            $0.key("member")
            $0.member(statement.member)
        }
    }
}
