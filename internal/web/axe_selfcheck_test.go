package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// The axe check is not a check that cannot fail: on a page that breaks WCAG
// rules it reports them.
func TestAxeReportsViolations(t *testing.T) {
	s := &site{t: t}
	b := s.browser(800, 600)
	b.do(chromedp.Navigate(`data:text/html,<html><body><img src="x.png"><input type="text"><a href="#"></a></body></html>`))
	run(b, chromedp.Evaluate[bool](axeSource+";true"))
	n := run(b, chromedp.Evaluate[int](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}}).then(r => r.violations.length)`, chromedp.EvalAwaitPromise))
	if n < 3 {
		t.Errorf("axe found %d violations on a page with at least 3 (image without alt, input without label, empty link, no lang)", n)
	}
}
