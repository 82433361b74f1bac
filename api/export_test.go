package api

// PolicyOf exposes a route's policy to the tests of package api_test.
func PolicyOf(route string) (struct{ Rule, Audit string }, bool) {
	p, ok := policies[route]
	return struct{ Rule, Audit string }{string(p.rule), p.audit}, ok
}
