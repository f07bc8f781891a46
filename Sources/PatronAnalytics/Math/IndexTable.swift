/// An open-addressing hash map from 64-bit keys to dense indices 0, 1, 2 … in order of first insertion.
///
/// Much faster than `Dictionary` for the million-row grouping in ``CompressedRows`` (a multiplicative hash of the
/// key's bits instead of SipHash, no per-entry allocation).
struct IndexTable {
    private var keys: [UInt64]
    private var slots: [Int32]  // −1 = empty
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// The index of `key`, inserting it with the next free index if new; `isNew` tells which.
    mutating func index(of key: UInt64) -> (index: Int32, isNew: Bool) {
        if count * 2 >= slots.count { grow() }
        var h = Int(truncatingIfNeeded: ((key ^ (key >> 29)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while true {
            let s = slots[h]
            if s < 0 {
                slots[h] = Int32(count)
                keys[h] = key
                count += 1
                return (Int32(count - 1), true)
            }
            if keys[h] == key { return (s, false) }
            h = (h + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldSlots = slots
        let size = slots.count * 2
        keys = Array(repeating: 0, count: size)
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (k, s) in zip(oldKeys, oldSlots) where s >= 0 {
            var h = Int(truncatingIfNeeded: ((k ^ (k >> 29)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
            while slots[h] >= 0 { h = (h + 1) & mask }
            slots[h] = s
            keys[h] = k
        }
    }
}
