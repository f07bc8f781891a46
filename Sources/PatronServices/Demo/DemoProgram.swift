/// The program `patron demo` runs on when no `--program` is given: examples/programs/starter.yaml, built into the
/// binary so the demo works from any directory. A test keeps the two equal.
public enum DemoProgram {
    /// The text of examples/programs/starter.yaml.
    public static let starter = #"""
# A small tea shop's first loyalty program: the demo runs on it.
name: Leaf & Cup Rewards
currency: CNY
timeZone: Asia/Shanghai

# Anyone may join, free.
enrollment: open

# Three levels by spend over the last 12 months, held for a year.
levels:
  metric: spend
  window: { rollingMonths: 12 }
  growth: { upgradeAndDowngrade: { validityMonths: 12, downgrade: oneLevel } }
  tiers:
    - name: Leaf
      threshold: "0.00"
    - name: Bud
      threshold: "1000.00"
      benefits: { discountPercent: 3, freeShippingFrom: "99.00" }
    - name: Blossom
      threshold: "3000.00"
      benefits: { discountPercent: 5, freeShippingFrom: "0.00", birthdayPoints: 300, perks: [tasting-events] }

# 1 point per yuan of goods after discounts; shipping and tax earn nothing; gift cards never earn.
earning:
  points: 1
  per: "1.00"
  base:
    includeShipping: false
    excludeCategories: [gift-cards]
  rounding: floor
  rules:
    - { name: level boost, levelMultiplier: { Bud: 1.25, Blossom: 1.5 } }
    - { name: welcome, firstOrderBonus: 50 }
    # Campaigns (rules with dates): double points in the app all year, double tea points in tea week, triple on Singles' Day.
    - { name: app double points, multiplier: 2, when: { from: 2025-01-01, to: 2025-12-31, channels: [app] } }
    - { name: tea week, multiplier: 2, when: { from: 2025-06-01, to: 2025-06-07, categories: [tea] } }
    - { name: singles day, multiplier: 3, when: { from: 2025-11-11, to: 2025-11-11 } }

activities:
  checkIn: { points: 2, streak: [{ days: 7, bonus: 10 }] }
  review: { points: 20, limit: { perMonth: 2 } }

# A member who brings a friend gets 200 points when the friend's first order is completed; the friend gets 100.
referral: { referrer: 200, referee: 100 }

# What points buy.
rewards:
  - { id: coupon-10, name: 10 yuan off, kind: coupon, cost: 500, coupon: { value: "10.00", minimumSpend: "99.00", validDays: 30 } }
  - { id: coupon-30, name: 30 yuan off, kind: coupon, cost: 1200, coupon: { value: "30.00", minimumSpend: "199.00", validDays: 60 } }
  - { id: teacup, name: Celadon teacup, kind: gift, cost: 2500, stock: 400 }
  - { id: tasting, name: New-season tasting, kind: event, cost: 1500, stock: 100, levels: [Bud, Blossom] }

# Points stay pending through the 14-day return window after delivery.
pending:
  days: 14

# Points expire at the end of the sixth month after they became active.
expiry:
  afterMonths: 6

"""#
}
