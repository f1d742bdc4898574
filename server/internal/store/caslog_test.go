package store

import (
	"errors"
	"testing"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/thriftgen"
)

func TestCasLoggedRecordsWhatItWrites(t *testing.T) {
	tbl := newTestTable()
	s := New(partitioner.Murmur3Partitioner{}, Options{})
	s.CreateTable(tbl)
	upd := []*thriftgen.Column{{Name: []byte("a"), Value: []byte("1")}}

	// A failed log write means no write at all.
	boom := errors.New("disk full")
	if _, err := s.CasLogged(tbl, []byte("k"), nil, upd, func(RowMutation) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("CasLogged with a failing log: %v", err)
	}
	if _, err := s.Get(tbl, []byte("k"), nil, []byte("a")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the write happened although the log failed: %v", err)
	}

	var logged []RowMutation
	res, err := s.CasLogged(tbl, []byte("k"), nil, upd, func(m RowMutation) error { logged = append(logged, m); return nil })
	mustOK(t, err)
	if !res.Success || len(logged) != 1 || len(logged[0].Ops) != 1 {
		t.Fatalf("success %v, logged %+v", res.Success, logged)
	}
	// Replaying the record elsewhere gives the same cell.
	other := New(partitioner.Murmur3Partitioner{}, Options{})
	other.CreateTable(tbl)
	mustOK(t, other.Apply(logged...))
	a, err := s.Get(tbl, []byte("k"), nil, []byte("a"))
	mustOK(t, err)
	b, err := other.Get(tbl, []byte("k"), nil, []byte("a"))
	mustOK(t, err)
	if a.Column.GetTimestamp() != b.Column.GetTimestamp() || string(b.Column.Value) != "1" {
		t.Fatalf("replayed cell %+v, original %+v", b.Column, a.Column)
	}

	// A failed condition logs nothing.
	logged = nil
	res, err = s.CasLogged(tbl, []byte("k"), nil, upd, func(m RowMutation) error { logged = append(logged, m); return nil })
	mustOK(t, err)
	if res.Success || logged != nil {
		t.Fatalf("failed condition: success %v, logged %v", res.Success, logged)
	}
}
