package ingest

// runeBits is a set of runes of the Basic Multilingual Plane: a membership
// test is one bit, where strings.ContainsRune on a constant list of Han
// characters scans and compares its UTF-8 bytes.
type runeBits [0x10000 / 64]uint64

// newRuneBits is the set of the characters of s.
func newRuneBits(s string) *runeBits {
	b := new(runeBits)
	for _, r := range s {
		b.set(r)
	}
	return b
}

func (b *runeBits) set(r rune) {
	if r >= 0 && r < 0x10000 {
		b[r/64] |= 1 << (r % 64)
	}
}

func (b *runeBits) has(r rune) bool {
	return r >= 0 && r < 0x10000 && b[r/64]&(1<<(r%64)) != 0
}
