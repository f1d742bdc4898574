package store

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"
)

// TestMutationIsPlainData: a prepared mutation survives a round trip
// through an encoder (as a commit log would write it) and replays to the
// same row.
func TestMutationIsPlainData(t *testing.T) {
	e := newEnv(t, nil)
	muts := []RowMutation{NewRowMutation(e.tbl, []byte("k"),
		putTTL("a", "1", 5, 60), delCol("b", 6), delRange("c", "d", 7), delRow(1))}
	e.st.Prepare(muts)
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(muts); err != nil {
		t.Fatal(err)
	}
	var back []RowMutation
	if err := gob.NewDecoder(&buf).Decode(&back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(muts, back) {
		t.Fatalf("round trip changed the mutations:\n%+v\n%+v", muts, back)
	}
	if err := e.st.Apply(back...); err != nil {
		t.Fatal(err)
	}
	if got := e.slice("k", all()); got != "a=1@5/60" {
		t.Fatalf("replayed row %q", got)
	}
	for _, k := range []OpKind{OpPut, OpAddCounter, OpDeleteRow, OpDeleteColumn, OpDeleteSuper, OpDeleteRange, 99} {
		if k.String() == "" {
			t.Errorf("OpKind %d has no name", k)
		}
	}
}
