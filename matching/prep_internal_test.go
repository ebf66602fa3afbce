package matching

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestOpeningCtxLayout keeps the prepared opening's layout that an index's
// queries rely on: what quickCheck reads to reject a pair (and score's
// flags) in the first 64-byte line, the skills score reads in the second,
// and a size that is a
// multiple of the line so that every element of an array starts one.
func TestOpeningCtxLayout(t *testing.T) {
	var oc openingCtx
	lastOfFirst := max(unsafe.Offsetof(oc.lat), unsafe.Offsetof(oc.lon), unsafe.Offsetof(oc.cosLat),
		unsafe.Offsetof(oc.startDay), unsafe.Offsetof(oc.endDay), unsafe.Offsetof(oc.capacity), unsafe.Offsetof(oc.hours),
		unsafe.Offsetof(oc.anyTrade), unsafe.Offsetof(oc.families), unsafe.Offsetof(oc.french)+unsafe.Sizeof(oc.french)-1,
		unsafe.Offsetof(oc.reqMax), unsafe.Offsetof(oc.days), unsafe.Offsetof(oc.hasCoords), unsafe.Offsetof(oc.remote),
		unsafe.Offsetof(oc.kindOK), unsafe.Offsetof(oc.trained), unsafe.Offsetof(oc.fixedDate), unsafe.Offsetof(oc.mentor),
		unsafe.Offsetof(oc.pmsmp), unsafe.Offsetof(oc.diploma), unsafe.Offsetof(oc.licensed), unsafe.Offsetof(oc.noHint),
		unsafe.Offsetof(oc.outcome), unsafe.Offsetof(oc.uncoded))
	if lastOfFirst >= 64 {
		t.Errorf("quickCheck's fields end at byte %d, beyond the first cache line", lastOfFirst)
	}
	for name, off := range map[string]uintptr{"dict": unsafe.Offsetof(oc.dict), "skillIDs": unsafe.Offsetof(oc.skillIDs),
		"asked": unsafe.Offsetof(oc.asked), "skillsIn": unsafe.Offsetof(oc.skillsIn) + unsafe.Sizeof(oc.skillsIn) - 1} {
		if off/64 != 1 {
			t.Errorf("%s at byte %d, outside the second cache line", name, off)
		}
	}
	if size := unsafe.Sizeof(oc); size%64 != 0 {
		t.Errorf("openingCtx is %d bytes, not a multiple of 64", size)
	}
}

// TestDistanceSeriesMatchesTheLibrary compares distance, whose short
// distances use series for sin and asin, with the haversine formula on the
// library's functions, on pairs from next door to across the world: at
// most a few ulps apart.
func TestDistanceSeriesMatchesTheLibrary(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for i := range 200_000 {
		lat := (r.Float64()*140 - 70) * math.Pi / 180
		lon := (r.Float64()*360 - 180) * math.Pi / 180
		// Spreads from metres to the antipodes, most within 1,000 km.
		spread := math.Pow(10, r.Float64()*6-4)
		if i%10 == 0 {
			spread = r.Float64() * math.Pi
		}
		lat2 := math.Max(-math.Pi/2, math.Min(math.Pi/2, lat+(r.Float64()*2-1)*spread))
		lon2 := lon + (r.Float64()*2-1)*spread
		sc := seekerCtx{lat: lat, lon: lon, cosLat: math.Cos(lat)}
		oc := openingCtx{lat: lat2, lon: lon2, cosLat: math.Cos(lat2)}
		sl, so := math.Sin((lat2-lat)/2), math.Sin((lon2-lon)/2)
		want := 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(sl*sl+sc.cosLat*oc.cosLat*so*so)))
		got := distance(&sc, &oc)
		if want == 0 {
			if got != 0 {
				t.Fatalf("distance of a point to itself: %g", got)
			}
			continue
		}
		if rel := math.Abs(got-want) / want; rel > worst {
			worst = rel
			if rel > 1e-15 {
				t.Fatalf("distance(%g,%g → %g,%g) = %.17g, library %.17g (relative %g)", lat, lon, lat2, lon2, got, want, rel)
			}
		}
	}
	t.Logf("worst relative difference %g", worst)
}
