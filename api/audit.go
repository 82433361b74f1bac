package api

import (
	"errors"
	"strings"

	"github.com/labstack/echo/v5"

	"fazhi"
	"fazhi/analytics"
)

// Keys under which a handler adds to its audit record.
const (
	auditActorKey   = "audit.actor"   // the name tried at a failed sign-in
	auditTargetKey  = "audit.target"  // what was acted on, when not the path's parameters
	auditDetailKey  = "audit.detail"  // what changed, in a few words; never a secret
	auditOutcomeKey = "audit.outcome" // overrides the outcome the status implies
	auditSkipKey    = "audit.skip"    // the request turned out to change nothing (a dry run)
)

func auditActor(c *echo.Context, name string)  { c.Set(auditActorKey, name) }
func auditTarget(c *echo.Context, what string) { c.Set(auditTargetKey, what) }
func auditDetail(c *echo.Context, what string) { c.Set(auditDetailKey, what) }

// auditSkip leaves a request of an audited route out of the log: its
// handler found that it changes nothing (an import's dry run). A request
// refused before its handler runs is recorded all the same.
func auditSkip(c *echo.Context) { c.Set(auditSkipKey, true) }

// auditOutcome records that a request that answers a page (status 200 or
// so) did not do what was asked, and why.
func auditOutcome(c *echo.Context, outcome, detail string) {
	c.Set(auditOutcomeKey, outcome)
	auditDetail(c, detail)
}

// audited runs a state-changing request and appends what happened to the
// audit log: who (or, for a failed sign-in, which name), what, on what,
// from which address, with which request id, and how it went. A request
// refused before its handler is recorded too.
func (s *Server) audited(c *echo.Context, action string, run func() error) error {
	err := run()
	if skip, _ := c.Get(auditSkipKey).(bool); skip {
		return err
	}
	status := statusOf(err)
	if err == nil {
		if r, uerr := echo.UnwrapResponse(c.Response()); uerr == nil {
			status = r.Status
		}
	}
	p := current(c)
	e := analytics.AuditEvent{Action: action, Actor: p.user.Name, Role: string(p.user.Role), Status: status,
		Address: c.RealIP()}
	e.RequestID, _ = c.Get(requestIDKey).(string)
	if e.Actor == "" {
		e.Actor, _ = c.Get(auditActorKey).(string)
	}
	if e.Target, _ = c.Get(auditTargetKey).(string); e.Target == "" {
		var params []string
		for _, v := range c.PathValues() {
			params = append(params, v.Value)
		}
		e.Target = strings.Join(params, " ")
	}
	e.Detail, _ = c.Get(auditDetailKey).(string)
	if err != nil && e.Detail == "" {
		e.Detail = publicMessage(err)
	}
	if e.Outcome, _ = c.Get(auditOutcomeKey).(string); e.Outcome == "" {
		e.Outcome = outcomeOf(status)
	}
	if aerr := s.wh.Audit(c.Request().Context(), e); aerr != nil {
		// The change is made; losing its record must at least be loud.
		zerologCtx(c).Error().Err(aerr).Str("action", action).Msg("audit record lost")
	}
	return err
}

// outcomeOf classifies a response status for the audit log.
func outcomeOf(status int) string {
	switch {
	case status < 400:
		return analytics.AuditOK
	case status == 401 || status == 403 || status == 413 || status == 429:
		return analytics.AuditDenied
	}
	return analytics.AuditFailed
}

// publicMessage is what a user is told of an error: never internals.
func publicMessage(err error) string {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Message
	}
	return fazhi.ErrorMessage(err)
}
