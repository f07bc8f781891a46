import GRDB
import PatronCore

/// The SQLite schema, as versioned migrations. Instants are integer milliseconds since 1970 UTC; money and points
/// are integers. The member id is in every hot table, ready to be a shard key.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: ledger") { db in
            try db.execute(
                sql: """
                    CREATE TABLE program_versions (
                        version INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL,
                        source TEXT NOT NULL,
                        loaded_at INTEGER NOT NULL
                    );
                    CREATE TABLE members (
                        id INTEGER PRIMARY KEY,
                        enrolled_at INTEGER NOT NULL,
                        program_version INTEGER NOT NULL,
                        name TEXT,
                        birthday TEXT,
                        tags TEXT NOT NULL DEFAULT '[]',
                        consents TEXT NOT NULL DEFAULT '{}',
                        active INTEGER NOT NULL DEFAULT 0,
                        pending INTEGER NOT NULL DEFAULT 0,
                        lifetime_earned INTEGER NOT NULL DEFAULT 0,
                        lifetime_spent INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE identities (
                        kind TEXT NOT NULL,
                        value TEXT NOT NULL,
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        PRIMARY KEY (kind, value)
                    ) WITHOUT ROWID;
                    CREATE INDEX identities_by_member ON identities(member_id);
                    CREATE TABLE orders (
                        id TEXT PRIMARY KEY NOT NULL,
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        status TEXT NOT NULL,
                        placed_at INTEGER NOT NULL,
                        completed_at INTEGER,
                        activates_at INTEGER,
                        amount INTEGER NOT NULL,
                        points INTEGER NOT NULL,
                        base INTEGER NOT NULL,
                        reversed_points INTEGER NOT NULL DEFAULT 0,
                        program_version INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX orders_by_member ON orders(member_id);
                    CREATE INDEX orders_to_activate ON orders(activates_at) WHERE status = 'completed';
                    CREATE TABLE order_lines (
                        order_id TEXT NOT NULL REFERENCES orders(id),
                        line_id TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        sku TEXT NOT NULL,
                        category TEXT,
                        quantity INTEGER NOT NULL,
                        net_amount INTEGER NOT NULL,
                        base INTEGER NOT NULL,
                        returned_quantity INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (order_id, line_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE entries (
                        id INTEGER PRIMARY KEY,
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        kind TEXT NOT NULL,
                        active_delta INTEGER NOT NULL,
                        pending_delta INTEGER NOT NULL,
                        order_id TEXT,
                        program_version INTEGER NOT NULL,
                        occurred_at INTEGER NOT NULL,
                        reason TEXT,
                        actor TEXT
                    );
                    CREATE INDEX entries_by_member ON entries(member_id, id);
                    CREATE TABLE lots (
                        id INTEGER PRIMARY KEY REFERENCES entries(id),
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        points INTEGER NOT NULL,
                        remaining INTEGER NOT NULL CHECK (remaining >= 0),
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER,
                        order_id TEXT
                    );
                    CREATE INDEX lots_open_by_member ON lots(member_id) WHERE remaining > 0;
                    CREATE INDEX lots_open_by_expiry ON lots(expires_at) WHERE remaining > 0;
                    CREATE TABLE allocations (
                        entry_id INTEGER NOT NULL REFERENCES entries(id),
                        lot_id INTEGER NOT NULL REFERENCES lots(id),
                        member_id INTEGER NOT NULL,
                        points INTEGER NOT NULL,
                        PRIMARY KEY (entry_id, lot_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX allocations_by_lot ON allocations(lot_id);
                    CREATE TABLE idempotency (
                        key TEXT PRIMARY KEY,
                        fingerprint INTEGER NOT NULL,
                        outcome TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2: order discounts") { db in
            // The discount given on an order (lines and order), for price-sensitivity analytics.
            try db.execute(sql: "ALTER TABLE orders ADD COLUMN discount INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v3: levels and earning breakdowns") { db in
            try db.execute(
                sql: """
                    ALTER TABLE members ADD COLUMN level TEXT;
                    ALTER TABLE members ADD COLUMN level_since INTEGER;
                    ALTER TABLE members ADD COLUMN level_until INTEGER;
                    ALTER TABLE members ADD COLUMN override_level TEXT;
                    ALTER TABLE members ADD COLUMN override_until INTEGER;
                    ALTER TABLE members ADD COLUMN override_reason TEXT;
                    CREATE INDEX members_by_level_review ON members(level_until) WHERE level_until IS NOT NULL;
                    ALTER TABLE orders ADD COLUMN kept INTEGER NOT NULL DEFAULT 0;
                    UPDATE orders SET kept = amount;
                    CREATE TABLE level_changes (
                        id INTEGER PRIMARY KEY,
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        from_level TEXT,
                        to_level TEXT,
                        reason TEXT NOT NULL,
                        actor TEXT,
                        occurred_at INTEGER NOT NULL,
                        program_version INTEGER NOT NULL
                    );
                    CREATE INDEX level_changes_by_member ON level_changes(member_id, id);
                    -- Which rule gave how many millionths of a point: "rule<US>micropoints<RS>…" (ASCII unit and record
                    -- separators), kept on the order row so that earning writes no extra rows.
                    ALTER TABLE orders ADD COLUMN breakdown TEXT;
                    CREATE TABLE rule_uses (
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        rule TEXT NOT NULL,
                        day INTEGER NOT NULL
                    );
                    CREATE INDEX rule_uses_by_member ON rule_uses(member_id, rule, day);
                    """)
        }
        migrator.registerMigration("v4: referrals") { db in
            try db.execute(
                sql: """
                    ALTER TABLE members ADD COLUMN referred_by INTEGER REFERENCES members(id);
                    ALTER TABLE members ADD COLUMN referral_rewarded INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX members_by_referrer ON members(referred_by) WHERE referred_by IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v5: outbox") { db in
            // Events for webhooks, written in the same transaction as the change they announce.
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        payload TEXT NOT NULL,
                        occurred_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v6: redemptions") { db in
            try db.execute(
                sql: """
                    -- entry_id is NULL for rewards granted without points (a level's monthly coupons).
                    CREATE TABLE redemptions (
                        id INTEGER PRIMARY KEY,
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        reward_id TEXT NOT NULL,
                        points INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        entry_id INTEGER REFERENCES entries(id),
                        coupon_code TEXT UNIQUE,
                        valid_until INTEGER,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX redemptions_by_reward ON redemptions(reward_id, status);
                    CREATE INDEX redemptions_by_member ON redemptions(member_id);
                    """)
        }
        migrator.registerMigration("v7: points as payment") { db in
            try db.execute(
                sql: """
                    ALTER TABLE orders ADD COLUMN points_used INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE orders ADD COLUMN points_restored INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration("v8: coupons used on orders") { db in
            try db.execute(sql: "ALTER TABLE redemptions ADD COLUMN order_id TEXT")
        }
        migrator.registerMigration("v9: lottery draws") { db in
            // The random value that decided a draw (0 ..< 2^53) and what it won, so every draw can be replayed.
            try db.execute(sql: "ALTER TABLE redemptions ADD COLUMN draw_value INTEGER; ALTER TABLE redemptions ADD COLUMN prize TEXT")
        }
        migrator.registerMigration("v10: partners") { db in
            try db.execute(
                sql: """
                    ALTER TABLE orders ADD COLUMN partner TEXT;
                    ALTER TABLE redemptions ADD COLUMN partner TEXT;
                    CREATE INDEX orders_by_partner ON orders(partner, placed_at) WHERE partner IS NOT NULL;
                    CREATE INDEX redemptions_by_partner ON redemptions(partner, created_at) WHERE partner IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v11: coupon pools") { db in
            try db.execute(
                sql: """
                    CREATE TABLE coupon_pool (
                        code TEXT PRIMARY KEY NOT NULL,
                        reward_id TEXT NOT NULL,
                        redemption_id INTEGER REFERENCES redemptions(id)
                    ) WITHOUT ROWID;
                    CREATE INDEX coupon_pool_free ON coupon_pool(reward_id) WHERE redemption_id IS NULL;
                    """)
        }
        migrator.registerMigration("v12: webhooks") { db in
            try db.execute(
                sql: """
                    -- after_outbox_id: the last outbox event when it was created; it receives only later ones.
                    CREATE TABLE webhook_subscriptions (
                        id INTEGER PRIMARY KEY,
                        url TEXT NOT NULL,
                        secret TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        active INTEGER NOT NULL DEFAULT 1,
                        after_outbox_id INTEGER NOT NULL
                    );
                    CREATE TABLE webhook_subscription_events (
                        subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        PRIMARY KEY (subscription_id, kind)
                    ) WITHOUT ROWID;
                    CREATE INDEX webhook_subscription_events_by_kind ON webhook_subscription_events(kind);
                    -- One row per subscription and event. While a sender holds it, lease is its token and
                    -- next_attempt_at the lease's end.
                    CREATE TABLE webhook_deliveries (
                        id INTEGER PRIMARY KEY,
                        subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
                        outbox_id INTEGER NOT NULL REFERENCES outbox(id),
                        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER,
                        lease TEXT,
                        last_status INTEGER,
                        last_error TEXT,
                        delivered_at INTEGER,
                        created_at INTEGER NOT NULL,
                        UNIQUE (subscription_id, outbox_id)
                    );
                    CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
                    CREATE INDEX webhook_deliveries_by_status ON webhook_deliveries(status, id);
                    -- How far fan-out has read the outbox; events written before webhooks existed are not sent.
                    CREATE TABLE webhook_fan_out (id INTEGER PRIMARY KEY CHECK (id = 1), last_outbox_id INTEGER NOT NULL);
                    INSERT INTO webhook_fan_out (id, last_outbox_id) SELECT 1, coalesce(max(id), 0) FROM outbox;
                    -- One points.expiring notice per lot and expiry date.
                    CREATE TABLE expiry_notices (
                        lot_id INTEGER NOT NULL REFERENCES lots(id),
                        expires_at INTEGER NOT NULL,
                        member_id INTEGER NOT NULL,
                        noticed_at INTEGER NOT NULL,
                        PRIMARY KEY (lot_id, expires_at)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v13: api keys, audit and erasure") { db in
            try db.execute(
                sql: """
                    -- Only a SHA-256 hash of each secret is kept; the prefix is for people to tell keys apart.
                    CREATE TABLE api_keys (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        scopes TEXT NOT NULL,
                        hash TEXT NOT NULL UNIQUE,
                        prefix TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        rotated_at INTEGER,
                        revoked_at INTEGER
                    );
                    CREATE TABLE audit_log (
                        id INTEGER PRIMARY KEY,
                        at INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        before TEXT,
                        after TEXT
                    );
                    CREATE INDEX audit_log_by_subject ON audit_log(subject, id);
                    ALTER TABLE members ADD COLUMN erased_at INTEGER;
                    """)
        }
        migrator.registerMigration("v14: order lines in their order's row") { db in
            // An order's lines move into its row (`OrderLinesColumn`): the write path then makes one b-tree write per
            // order event fewer (docs/benchmarks.md, issue 2).
            try db.execute(sql: "ALTER TABLE orders ADD COLUMN lines TEXT NOT NULL DEFAULT ''")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT order_id, line_id, sku, category, quantity, net_amount, base, returned_quantity
                    FROM order_lines ORDER BY order_id, position
                    """)
            let update = try db.makeStatement(sql: "UPDATE orders SET lines = ? WHERE id = ?")
            var start = 0
            while start < rows.count {
                let orderId: String = rows[start][0]
                var end = start
                var lines: [RecordedLine] = []
                while end < rows.count, rows[end][0] as String == orderId {
                    let row = rows[end]
                    lines.append(
                        RecordedLine(
                            lineId: row[1], sku: row[2], category: row[3], quantity: row[4], netAmount: row[5], base: row[6],
                            returnedQuantity: row[7]))
                    end += 1
                }
                try update.execute(arguments: [OrderLinesColumn.encode(lines), orderId])
                start = end
            }
            try db.execute(sql: "DROP TABLE order_lines")
        }
        migrator.registerMigration("v15: outbox rows marked when fanned out") { db in
            // A mark per row instead of a cursor: on PostgreSQL transactions commit out of id order, and both
            // databases share the fan-out's SQL. Rows the cursor had passed count as fanned out.
            try db.execute(
                sql: """
                    ALTER TABLE outbox ADD COLUMN fanned_out INTEGER NOT NULL DEFAULT 0;
                    UPDATE outbox SET fanned_out = 1 WHERE id <= (SELECT last_outbox_id FROM webhook_fan_out WHERE id = 1);
                    CREATE INDEX outbox_to_fan_out ON outbox(id) WHERE fanned_out = 0;
                    DROP TABLE webhook_fan_out;
                    """)
        }
        migrator.registerMigration("v16: staff accounts and console sessions") { db in
            // Sessions keep only a SHA-256 hash of their token; failed sign-ins are kept a day, for throttling.
            try db.execute(
                sql: """
                    CREATE TABLE staff_accounts (
                        id INTEGER PRIMARY KEY,
                        username TEXT NOT NULL UNIQUE,
                        display_name TEXT NOT NULL,
                        role TEXT NOT NULL,
                        password_hash TEXT NOT NULL,
                        disabled_at INTEGER,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE staff_sessions (
                        token_hash TEXT PRIMARY KEY,
                        account_id INTEGER NOT NULL REFERENCES staff_accounts(id),
                        csrf_token TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        last_seen_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX staff_sessions_by_account ON staff_sessions(account_id);
                    CREATE TABLE sign_in_failures (
                        id INTEGER PRIMARY KEY,
                        at INTEGER NOT NULL,
                        username TEXT NOT NULL,
                        address TEXT NOT NULL
                    );
                    CREATE INDEX sign_in_failures_by_username ON sign_in_failures(username, at);
                    CREATE INDEX sign_in_failures_by_address ON sign_in_failures(address, at);
                    """)
        }
        migrator.registerMigration("v17: used member sign-in links") { db in
            // A sign-in link's nonce is kept until the link would have expired, so a link works once.
            try db.execute(
                sql: """
                    CREATE TABLE member_link_uses (
                        nonce TEXT PRIMARY KEY,
                        expires_at INTEGER NOT NULL,
                        used_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX member_link_uses_by_expiry ON member_link_uses(expires_at);
                    """)
        }
        migrator.registerMigration("v18: member search") { db in
            // The console finds members by any identity's value (whatever its kind) and by the start of their name.
            try db.execute(
                sql: """
                    CREATE INDEX identities_by_value ON identities(value);
                    CREATE INDEX members_by_name ON members(lower(name)) WHERE name IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v19: kept aggregates for the console's overview") { db in
            // Each writer adds its transactions' changes to its own shard of a day's row (`SQLSession.flushTallies`);
            // a reader sums the shards. The overview's model-based parts are computed by a job and kept as JSON.
            try db.execute(
                sql: """
                    CREATE TABLE daily_totals (
                        day INTEGER NOT NULL,
                        metric TEXT NOT NULL,
                        key TEXT NOT NULL,
                        shard INTEGER NOT NULL,
                        value INTEGER NOT NULL,
                        PRIMARY KEY (day, metric, key, shard)
                    ) WITHOUT ROWID;
                    CREATE TABLE overview_snapshots (
                        id INTEGER PRIMARY KEY,
                        taken_at INTEGER NOT NULL,
                        body TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v20: segments") { db in
            // Segments (issue 15): definitions with their versions, members with the instant they entered, per-member
            // analytics scores with the time of their fit, the re-evaluator's cursors, and the profile fields segments test.
            try db.execute(
                sql: """
                    ALTER TABLE members ADD COLUMN region TEXT;
                    ALTER TABLE members ADD COLUMN city TEXT;
                    ALTER TABLE members ADD COLUMN channel TEXT;
                    ALTER TABLE members ADD COLUMN gender TEXT;
                    CREATE TABLE segments (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL CHECK (kind IN ('dynamic', 'static')),
                        description TEXT,
                        definition TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        refreshed_at INTEGER,
                        member_count INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE segment_versions (
                        segment_id INTEGER NOT NULL REFERENCES segments(id),
                        version INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        description TEXT,
                        definition TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        loaded_at INTEGER NOT NULL,
                        PRIMARY KEY (segment_id, version)
                    ) WITHOUT ROWID;
                    CREATE TABLE segment_members (
                        segment_id INTEGER NOT NULL REFERENCES segments(id),
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        entered_at INTEGER NOT NULL,
                        PRIMARY KEY (segment_id, member_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX segment_members_by_member ON segment_members(member_id);
                    CREATE TABLE member_scores (
                        member_id INTEGER PRIMARY KEY REFERENCES members(id),
                        fitted_at INTEGER NOT NULL,
                        rfm_cell TEXT,
                        rfm_segment TEXT,
                        loyalty_stage TEXT,
                        loyalty_type TEXT,
                        p_alive REAL,
                        expected_purchases_90 REAL,
                        clv_12 REAL,
                        clv_percentile REAL
                    );
                    CREATE TABLE segment_cursors (
                        name TEXT PRIMARY KEY NOT NULL,
                        position INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v21: marketing campaigns") { db in
            // Marketing campaigns (issue 15): the definition (JSON) with its order action and window spread into columns
            // that order placement reads, the budget spent (reserved by conditional updates), and each assigned member's
            // group (treated / control), assignment time, points received and coupon.
            try db.execute(
                sql: """
                    CREATE TABLE marketing_campaigns (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        segment TEXT NOT NULL,
                        definition TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'finished', 'cancelled')),
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        starts_day INTEGER NOT NULL,
                        ends_day INTEGER NOT NULL,
                        order_kind TEXT CHECK (order_kind IN ('bonus', 'multiplier')),
                        order_points INTEGER NOT NULL DEFAULT 0,
                        order_rate_numerator INTEGER NOT NULL DEFAULT 1,
                        order_rate_denominator INTEGER NOT NULL DEFAULT 1,
                        order_minimum INTEGER,
                        points_budget INTEGER,
                        money_budget INTEGER,
                        per_member_points INTEGER,
                        points_spent INTEGER NOT NULL DEFAULT 0,
                        money_spent INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE campaign_members (
                        campaign_id INTEGER NOT NULL REFERENCES marketing_campaigns(id),
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        grp TEXT NOT NULL CHECK (grp IN ('treated', 'control')),
                        assigned_at INTEGER NOT NULL,
                        points INTEGER NOT NULL DEFAULT 0,
                        redemption_id INTEGER,
                        PRIMARY KEY (campaign_id, member_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX campaign_members_by_member ON campaign_members(member_id);
                    """)
        }
        migrator.registerMigration("v22: order shipping, tax, channel and event times") { db in
            // What an order's earning rules may read besides its lines, and when it was first returned or cancelled,
            // kept so `patron program compare` can replay the order through another program exactly. Orders placed
            // before have 0, 0, no channel and no times.
            try db.execute(
                sql: """
                    ALTER TABLE orders ADD COLUMN shipping INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE orders ADD COLUMN tax INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE orders ADD COLUMN channel TEXT;
                    ALTER TABLE orders ADD COLUMN returned_at INTEGER;
                    ALTER TABLE orders ADD COLUMN cancelled_at INTEGER;
                    """)
        }
        migrator.registerMigration("v23: messages") { db in
            // Messages (issue 16): which kinds go out on which channels when their cause happens, the queue (one row per
            // message, its idempotent key unique, leased by deliverers), and addresses suppressed after hard bounces.
            try db.execute(
                sql: """
                    CREATE TABLE message_triggers (
                        kind TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        PRIMARY KEY (kind, channel)
                    ) WITHOUT ROWID;
                    CREATE TABLE messages (
                        id INTEGER PRIMARY KEY,
                        message_key TEXT NOT NULL UNIQUE,
                        member_id INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        purpose TEXT NOT NULL CHECK (purpose IN ('transactional', 'marketing')),
                        channel TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'bounced', 'failed', 'dead', 'suppressed')),
                        facts TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        due_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        lease_until INTEGER,
                        last_error TEXT,
                        recipient TEXT,
                        provider_id TEXT,
                        subject TEXT,
                        body_text TEXT,
                        body_html TEXT,
                        sent_at INTEGER,
                        delivered_at INTEGER,
                        read_at INTEGER
                    );
                    CREATE INDEX messages_due ON messages(status, due_at);
                    CREATE INDEX messages_by_member ON messages(member_id, channel, id);
                    CREATE TABLE message_suppressions (
                        channel TEXT NOT NULL,
                        address TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (channel, address)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v24: customer-care tickets") { db in
            // Customer care (issue 17): tickets with their due times, every change timed in ticket_events, compensation
            // and each agent's daily totals (CareSchema.swift).
            try db.execute(sql: CareSchema.sqlite)
        }
        migrator.registerMigration("v25: satisfaction surveys and win-back offers") { db in
            // Customer care (issue 17): NPS invitations for sampled completed orders with their one answer (the member's
            // level when answering kept for the breakdowns), CSAT ratings keyed by ticket id, and win-back offers.
            try db.execute(
                sql: """
                    CREATE TABLE survey_invitations (
                        id INTEGER PRIMARY KEY,
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        order_id TEXT NOT NULL UNIQUE,
                        channel TEXT,
                        invited_at INTEGER NOT NULL,
                        answered_at INTEGER,
                        score INTEGER CHECK (score BETWEEN 0 AND 10),
                        comment TEXT,
                        level TEXT,
                        ticket_id INTEGER
                    );
                    CREATE INDEX survey_invitations_by_member ON survey_invitations(member_id, invited_at);
                    CREATE INDEX survey_invitations_answered ON survey_invitations(answered_at) WHERE answered_at IS NOT NULL;
                    CREATE INDEX orders_by_completion ON orders(completed_at) WHERE completed_at IS NOT NULL;
                    CREATE TABLE csat_ratings (
                        ticket_id INTEGER PRIMARY KEY,
                        member_id INTEGER REFERENCES members(id),
                        score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
                        comment TEXT,
                        rated_at INTEGER NOT NULL
                    );
                    CREATE TABLE winback_offers (
                        id INTEGER PRIMARY KEY,
                        member_id INTEGER NOT NULL REFERENCES members(id),
                        offer TEXT NOT NULL,
                        cause TEXT NOT NULL,
                        offered_at INTEGER NOT NULL,
                        actor TEXT NOT NULL
                    );
                    CREATE INDEX winback_offers_by_member ON winback_offers(member_id);
                    """)
        }
        migrator.registerMigration("v26: message opens and clicks") { db in
            // Message tracking (issue 16): the first open (pixel) and click (signed redirect) of each message and how many
            // there were; an index to find the messages a member received before an order (attribution).
            try db.execute(
                sql: """
                    ALTER TABLE messages ADD COLUMN opened_at INTEGER;
                    ALTER TABLE messages ADD COLUMN open_count INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE messages ADD COLUMN clicked_at INTEGER;
                    ALTER TABLE messages ADD COLUMN click_count INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX messages_by_member_sent ON messages(member_id, sent_at);
                    """)
        }
        migrator.registerMigration("v27: consent records and the member's locale") { db in
            // Consent (issue 16): every grant, withdrawal and pending double opt-in of a channel with its time, source
            // and actor, written in the transaction of the change (the profile's `consents` stay the fast path); and the
            // member's locale (a BCP-47 tag) on the profile.
            try db.execute(
                sql: """
                    CREATE TABLE consent_records (
                        id INTEGER PRIMARY KEY,
                        member_id INTEGER NOT NULL,
                        channel TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('granted', 'withdrawn', 'pending')),
                        source TEXT NOT NULL,
                        actor TEXT,
                        recorded_at INTEGER NOT NULL
                    );
                    CREATE INDEX consent_records_by_member ON consent_records(member_id, channel, id);
                    ALTER TABLE members ADD COLUMN locale TEXT;
                    """)
        }
        migrator.registerMigration("v28: message journeys") { db in
            // Journeys (issue 16): the program trigger that queued a message and its step (a win-back's 1, 2, 3), read by
            // the deliverer for the trigger's fallback channels, conditions and stop rules; an index for the weekly cap.
            try db.execute(
                sql: """
                    ALTER TABLE messages ADD COLUMN journey TEXT;
                    ALTER TABLE messages ADD COLUMN journey_step INTEGER;
                    CREATE INDEX messages_by_member_purpose ON messages(member_id, purpose, sent_at);
                    """)
        }
        migrator.registerMigration("v29: idempotency retention and slimmer ledger rows") { db in
            // Issue 19 (docs/scaling.md): idempotency records are kept for the program's window only
            // (`idempotency.retentionDays`); history imports write none. Every applied return keeps its event id in
            // `applied_returns`, which both the import and the live path read, so neither applies the other's return again. A lot's time and order are its entry's (a lot's id is its entry's id),
            // so the lot no longer keeps a copy. A lot's opening allocation (its own entry's) is kept only when a debt
            // took some of its points; otherwise it opened with all of them. `allocations_by_lot` served only
            // `patron check`, which now sums the allocations in one pass.
            try db.execute(
                sql: """
                    CREATE TABLE applied_returns (event_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
                    ALTER TABLE lots DROP COLUMN order_id;
                    ALTER TABLE lots DROP COLUMN created_at;
                    DROP INDEX allocations_by_lot;
                    INSERT INTO allocations (entry_id, lot_id, member_id, points)
                        SELECT l.id, l.id, l.member_id, 0 FROM lots l
                        WHERE NOT EXISTS (SELECT 1 FROM allocations a WHERE a.entry_id = l.id AND a.lot_id = l.id);
                    DELETE FROM allocations
                        WHERE entry_id = lot_id AND points = (SELECT l.points FROM lots l WHERE l.id = allocations.lot_id);
                    """)
        }
        migrator.registerMigration("v30: the survey job's queue instead of an index of every completion") { db in
            // Issue 19 (docs/scaling.md): `orders_by_completion` cost 36 bytes an order to serve only the NPS survey
            // job, which asks about orders completed in its last `withinDays` (at most 365). Completions of the live path
            // now go into `survey_candidates`, which the job empties of those past its window; history imports add none.
            // The last year's completions move over.
            try db.execute(
                sql: """
                    CREATE TABLE survey_candidates (order_id TEXT PRIMARY KEY NOT NULL, completed_at INTEGER NOT NULL) WITHOUT ROWID;
                    INSERT INTO survey_candidates (order_id, completed_at)
                        SELECT id, completed_at FROM orders
                        WHERE completed_at > (SELECT max(completed_at) FROM orders) - 365 * 86400000;
                    DROP INDEX orders_by_completion;
                    """)
        }
        return migrator
    }
}
