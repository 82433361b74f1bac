package api

// PolicyOf exposes a route's policy to the tests of package api_test.
func PolicyOf(route string) (struct {
	Rule, Audit string
	Files       bool
}, bool) {
	p, ok := policies[route]
	return struct {
		Rule, Audit string
		Files       bool
	}{string(p.rule), p.audit, p.files}, ok
}
