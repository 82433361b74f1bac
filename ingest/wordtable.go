package ingest

import "math/bits"

// wordTable is a read-only hash table from packed runes (two or three, see
// packRunes) to lexicon flags. The junk scan looks up most pairs of
// neighbouring characters of a report; a Go map of 100,000 keys spends
// most of that time on its control bytes and a second cache line, while
// this open-addressing table finds a key in its first slot in most cases.
type wordTable struct {
	slots []wordSlot
	shift uint // 64 - log2(len(slots))
}

type wordSlot struct {
	key   uint64 // packed runes | slotUsed, or 0 when empty
	flags uint8
}

// slotUsed marks an occupied slot: packed keys use at most 63 bits.
const slotUsed = 1 << 63

// newWordTable copies m into a table at most three quarters full: probes
// then mostly stay within the cache line of the first slot.
func newWordTable(m map[uint64]uint8) wordTable {
	size := 1 << bits.Len(uint(len(m)*3/2|1))
	t := wordTable{slots: make([]wordSlot, size), shift: uint(64 - bits.Len(uint(size-1)))}
	for k, f := range m {
		i := t.home(k)
		for t.slots[i].key != 0 {
			i = (i + 1) & (len(t.slots) - 1)
		}
		t.slots[i] = wordSlot{key: k | slotUsed, flags: f}
	}
	return t
}

// home is the first slot to probe for key k (Fibonacci hashing).
func (t wordTable) home(k uint64) int {
	return int((k * 0x9E3779B97F4A7C15) >> t.shift)
}

// get returns the flags of k, or 0.
func (t wordTable) get(k uint64) uint8 {
	if len(t.slots) == 0 {
		return 0
	}
	for i := t.home(k); ; i = (i + 1) & (len(t.slots) - 1) {
		switch t.slots[i].key {
		case k | slotUsed:
			return t.slots[i].flags
		case 0:
			return 0
		}
	}
}
