package matching

import (
	"testing"
	"unsafe"
)

// TestOpeningCtxLayout keeps the prepared opening's layout that an index's
// queries rely on: what quickCheck reads to reject a pair in the first
// 64-byte line, the skills score reads in the second, and a size that is a
// multiple of the line so that every element of an array starts one.
func TestOpeningCtxLayout(t *testing.T) {
	var oc openingCtx
	lastOfFirst := max(unsafe.Offsetof(oc.lat), unsafe.Offsetof(oc.lon), unsafe.Offsetof(oc.cosLat),
		unsafe.Offsetof(oc.startDay), unsafe.Offsetof(oc.endDay), unsafe.Offsetof(oc.capacity), unsafe.Offsetof(oc.hours),
		unsafe.Offsetof(oc.anyTrade), unsafe.Offsetof(oc.families), unsafe.Offsetof(oc.french)+unsafe.Sizeof(oc.french)-1,
		unsafe.Offsetof(oc.reqMax), unsafe.Offsetof(oc.days), unsafe.Offsetof(oc.hasCoords), unsafe.Offsetof(oc.remote),
		unsafe.Offsetof(oc.kindOK), unsafe.Offsetof(oc.trained), unsafe.Offsetof(oc.fixedDate), unsafe.Offsetof(oc.mentor),
		unsafe.Offsetof(oc.pmsmp), unsafe.Offsetof(oc.diploma), unsafe.Offsetof(oc.licensed), unsafe.Offsetof(oc.noHint))
	if lastOfFirst >= 64 {
		t.Errorf("quickCheck's fields end at byte %d, beyond the first cache line", lastOfFirst)
	}
	for name, off := range map[string]uintptr{"dict": unsafe.Offsetof(oc.dict), "skills": unsafe.Offsetof(oc.skills),
		"skillIDs": unsafe.Offsetof(oc.skillIDs) + unsafe.Sizeof(oc.skillIDs) - 1} {
		if off/64 != 1 {
			t.Errorf("%s at byte %d, outside the second cache line", name, off)
		}
	}
	if size := unsafe.Sizeof(oc); size%64 != 0 {
		t.Errorf("openingCtx is %d bytes, not a multiple of 64", size)
	}
}
