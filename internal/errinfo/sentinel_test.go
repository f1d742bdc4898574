package errinfo

import (
	"errors"
	"fmt"
	"testing"
)

func TestSentinel(t *testing.T) {
	general := errors.New("general")
	own := Sentinel("pkg: own", general)
	wrapped := fmt.Errorf("%w: detail", own)
	if !errors.Is(wrapped, own) || !errors.Is(wrapped, general) || own.Error() != "pkg: own" {
		t.Errorf("%v: Is own %v, Is general %v", wrapped, errors.Is(wrapped, own), errors.Is(wrapped, general))
	}
	if errors.Is(general, own) || errors.Is(Sentinel("pkg: other", general), own) {
		t.Error("the match goes one way only, and two sentinels are two")
	}
}
