package web

import (
	"context"
	"sync"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/pathways"
)

// valuesTTL is how long the console keeps an organisation's programmes,
// cohorts and départements: they feed filters and form defaults, change a
// few times a year, and reading them scans the organisation's people.
const valuesTTL = time.Minute

// knownValues caches pathways.EnrolmentValues by organisation.
type knownValues struct {
	mu    sync.Mutex
	byOrg map[string]cachedValues
}

type cachedValues struct {
	v  pathways.EnrolmentValues
	at time.Time
}

// values returns the organisation's enrolment values, read at most once a
// valuesTTL; a person the console records forgets them at once.
func (c *Console) values(ctx context.Context, w access.Principal) (pathways.EnrolmentValues, error) {
	now := time.Now()
	c.known.mu.Lock()
	cv, ok := c.known.byOrg[w.OrganisationID]
	c.known.mu.Unlock()
	if ok && now.Sub(cv.at) < valuesTTL {
		return cv.v, nil
	}
	v, err := c.svc.Beneficiaries.Values(ctx, w)
	if err != nil {
		return v, err
	}
	c.known.mu.Lock()
	if c.known.byOrg == nil {
		c.known.byOrg = map[string]cachedValues{}
	}
	c.known.byOrg[w.OrganisationID] = cachedValues{v: v, at: now}
	c.known.mu.Unlock()
	return v, nil
}

// forgetValues drops the organisation's cached values.
func (c *Console) forgetValues(org string) {
	c.known.mu.Lock()
	delete(c.known.byOrg, org)
	c.known.mu.Unlock()
}
