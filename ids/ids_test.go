package ids_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/ids"
)

func TestNewIsSortableAndUnique(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for i := 0; i < 10000; i++ {
		id := ids.New("ben")
		if !strings.HasPrefix(id, "ben_") || len(id) != 4+26 {
			t.Fatalf("id %q: want prefix ben_ and 26 characters", id)
		}
		if seen[id] {
			t.Fatalf("id %q made twice", id)
		}
		if id <= prev {
			t.Fatalf("id %q does not sort after %q", id, prev)
		}
		seen[id], prev = true, id
	}
}

func TestNewAtFollowsTime(t *testing.T) {
	a := ids.NewAt("x", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	b := ids.NewAt("x", time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if a >= b {
		t.Fatalf("%q made earlier does not sort before %q", a, b)
	}
}
