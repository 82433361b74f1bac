package analytics

// int32s converts years for binding as an INTEGER[] parameter: duckdb-go
// binds Go slices as DuckDB lists, but panics on []int for INTEGER[].
func int32s(xs []int) []int32 {
	out := make([]int32, len(xs))
	for i, x := range xs {
		out[i] = int32(x)
	}
	return out
}

// strs makes sure a nil slice still binds as an empty VARCHAR[].
func strs(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
