package layout

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/cassa-go/cassa/codec"
)

const mp = "org.apache.cassandra.db.marshal."

// TestReferenceExample pins every name of the storage mapping's example
// table (k int, c text, v int, s int static, l list<int>, PRIMARY KEY (k, c)),
// byte for byte as Cassandra 2.2 writes them (CompoundSparseCellNameType,
// CompositeType.build).
func TestReferenceExample(t *testing.T) {
	l := cql3Table(t)
	want := mp + "CompositeType(" + mp + "UTF8Type," + mp + "UTF8Type," + mp + "ColumnToCollectionType(6c:" + mp + "ListType(" + mp + "Int32Type)))"
	if got := l.Comparator().Class(); got != want {
		t.Errorf("comparator\n got %s\nwant %s", got, want)
	}
	ck := [][]byte{txt("a")}
	marker, err := l.RowMarker(ck)
	if err != nil || !bytes.Equal(marker, unhex(t, "0001 61 00 | 0000 00")) {
		t.Errorf("marker %x %v", marker, err)
	}
	v, _ := l.CellName(ck, l.Column("v"), nil)
	if !bytes.Equal(v, unhex(t, "0001 61 00 | 0001 76 00")) {
		t.Errorf("v %x", v)
	}
	s, _ := l.CellName(ck, l.Column("s"), nil)
	if !bytes.Equal(s, unhex(t, "ffff | 0000 00 | 0001 73 00")) {
		t.Errorf("s %x", s)
	}
	id := unhex(t, "00112233 4455 1677 8899 aabbccddeeff")
	el, _ := l.CellName(ck, l.Column("l"), id)
	if !bytes.Equal(el, append(append(unhex(t, "0001 61 00 | 0001 6c 00 | 0010"), id...), 0)) {
		t.Errorf("list element %x", el)
	}
	// Comparator order: static < marker < l element < v.
	cmp := l.Comparator()
	for _, pair := range [][2][]byte{{s, marker}, {marker, el}, {el, v}} {
		if cmp.Compare(pair[0], pair[1]) >= 0 {
			t.Errorf("%x should sort before %x", pair[0], pair[1])
		}
	}
	// Decoding gives the parts back.
	n, err := l.DecodeName(nil, el)
	if err != nil || n.Column != l.Column("l") || !n.HasElement || !bytes.Equal(n.Element, id) || string(n.Clustering[0]) != "a" {
		t.Errorf("decode element: %+v %v", n, err)
	}
	n, _ = l.DecodeName(nil, marker)
	if !n.Marker || n.Column != nil {
		t.Errorf("decode marker: %+v", n)
	}
	n, _ = l.DecodeName(nil, s)
	if !n.Static || n.Column != l.Column("s") || n.Clustering != nil {
		t.Errorf("decode static: %+v", n)
	}
}

// TestShapes covers each layout of the storage mapping's table of layouts:
// the comparator and the name of a cell.
func TestShapes(t *testing.T) {
	cases := []struct {
		name    string
		spec    Spec
		shape   Shape
		cmp     string
		ck      [][]byte
		col     string
		cell    string // hex
		keyType string
	}{
		{
			name: "sparse without clustering",
			spec: Spec{Compound: true, Columns: []ColumnSpec{
				{Name: "k", Kind: PartitionKey, Type: codec.UTF8},
				{Name: "v", Kind: Regular, Type: codec.Int32}}},
			shape: Sparse, cmp: mp + "CompositeType(" + mp + "UTF8Type)", col: "v", cell: "0001 76 00",
			keyType: mp + "UTF8Type",
		},
		{
			name: "sparse, DESC clustering, composite key",
			spec: Spec{Compound: true, Columns: []ColumnSpec{
				{Name: "k1", Kind: PartitionKey, Type: codec.UTF8},
				{Name: "k2", Kind: PartitionKey, Type: codec.Int32},
				{Name: "c", Kind: Clustering, Type: codec.Long, Desc: true},
				{Name: "v", Kind: Regular, Type: codec.Int32}}},
			shape: Sparse, cmp: mp + "CompositeType(" + mp + "ReversedType(" + mp + "LongType)," + mp + "UTF8Type)",
			ck: [][]byte{i64(1)}, col: "v", cell: "0008 0000000000000001 00 | 0001 76 00",
			keyType: mp + "CompositeType(" + mp + "UTF8Type," + mp + "Int32Type)",
		},
		{
			name: "static compact",
			spec: Spec{Columns: []ColumnSpec{
				{Name: "k", Kind: PartitionKey, Type: codec.UTF8},
				{Name: "v", Kind: Regular, Type: codec.Int32}}},
			shape: StaticCompact, cmp: mp + "UTF8Type", col: "v", cell: "76", keyType: mp + "UTF8Type",
		},
		{
			name: "dense, one clustering",
			spec: Spec{Dense: true, Columns: []ColumnSpec{
				{Name: "k", Kind: PartitionKey, Type: codec.UTF8},
				{Name: "c", Kind: Clustering, Type: codec.Int32},
				{Name: "v", Kind: Regular, Type: codec.UTF8}}},
			shape: DenseSimple, cmp: mp + "Int32Type", ck: [][]byte{i32(5)}, col: "v", cell: "00000005", keyType: mp + "UTF8Type",
		},
		{
			name: "dense, two clustering",
			spec: Spec{Dense: true, Compound: true, Columns: []ColumnSpec{
				{Name: "k", Kind: PartitionKey, Type: codec.UTF8},
				{Name: "c1", Kind: Clustering, Type: codec.Int32},
				{Name: "c2", Kind: Clustering, Type: codec.UTF8, Desc: true},
				{Name: "v", Kind: Regular, Type: codec.UTF8}}},
			shape: DenseCompound, cmp: mp + "CompositeType(" + mp + "Int32Type," + mp + "ReversedType(" + mp + "UTF8Type))",
			ck: [][]byte{i32(5), txt("x")}, col: "v", cell: "0004 00000005 00 | 0001 78 00", keyType: mp + "UTF8Type",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := mustLayout(t, c.spec)
			if l.Shape() != c.shape {
				t.Errorf("shape %v", l.Shape())
			}
			if got := l.Comparator().Class(); got != c.cmp {
				t.Errorf("comparator %s", got)
			}
			if got := l.KeyType().Class(); got != c.keyType {
				t.Errorf("key type %s", got)
			}
			name, err := l.CellName(c.ck, l.Column(c.col), nil)
			if err != nil || !bytes.Equal(name, unhex(t, c.cell)) {
				t.Errorf("cell name %x %v", name, err)
			}
			n, err := l.DecodeName(nil, name)
			if err != nil || n.Column != l.Column(c.col) {
				t.Errorf("decode %+v %v", n, err)
			}
			for i, v := range c.ck {
				if !bytes.Equal(n.Clustering[i], v) {
					t.Errorf("clustering %d: %x", i, n.Clustering[i])
				}
			}
		})
	}
}

func TestNewRefuses(t *testing.T) {
	k := ColumnSpec{Name: "k", Kind: PartitionKey, Type: codec.Int32}
	cases := map[string]Spec{
		"no key":              {Compound: true},
		"static, no ck":       {Compound: true, Columns: []ColumnSpec{k, {Name: "s", Kind: Static}}},
		"compact collection":  {Columns: []ColumnSpec{k, {Name: "l", Kind: Regular, Collection: List, Elements: codec.Int32}}},
		"dense two values":    {Dense: true, Columns: []ColumnSpec{k, {Name: "c", Kind: Clustering}, {Name: "a", Kind: Regular}, {Name: "b", Kind: Regular}}},
		"dense simple two ck": {Dense: true, Columns: []ColumnSpec{k, {Name: "c", Kind: Clustering}, {Name: "d", Kind: Clustering}}},
		"duplicate":           {Compound: true, Columns: []ColumnSpec{k, k}},
		"map without values":  {Compound: true, Columns: []ColumnSpec{k, {Name: "m", Kind: Regular, Collection: Map, Elements: codec.Int32}}},
	}
	for name, spec := range cases {
		var se *SpecError
		if _, err := New(spec); !errors.As(err, &se) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestPartitionKeys(t *testing.T) {
	l := mustLayout(t, Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "a", Kind: PartitionKey, Type: codec.UTF8},
		{Name: "b", Kind: PartitionKey, Type: codec.Int32},
		{Name: "v", Kind: Regular, Type: codec.Int32}}})
	key, err := l.PartitionKey([][]byte{txt("x"), i32(2)})
	if err != nil || !bytes.Equal(key, unhex(t, "0001 78 00 | 0004 00000002 00")) {
		t.Fatalf("key %x %v", key, err)
	}
	vals, err := l.DecodePartitionKey(key)
	if err != nil || string(vals[0]) != "x" || !bytes.Equal(vals[1], i32(2)) {
		t.Errorf("decode %q %v", vals, err)
	}
	for _, bad := range [][]byte{unhex(t, "0001 78"), unhex(t, "0001 78 00"), append(key, 0)} {
		if _, err := l.DecodePartitionKey(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("decode %x: %v", bad, err)
		}
	}
	var ie *InvalidError
	if _, err := l.PartitionKey([][]byte{make([]byte, 70000), i32(1)}); !errors.As(err, &ie) ||
		ie.Msg != "Key length of 70000 is longer than maximum of 65535" {
		t.Errorf("long component: %v", err)
	}
	single := cql3Table(t)
	if k, _ := single.PartitionKey([][]byte{i32(7)}); !bytes.Equal(k, i32(7)) {
		t.Errorf("single key %x", k)
	}
}

// TestNameRoundTrip: random rows of the reference table and the dense
// layouts encode and decode back to their parts.
func TestNameRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	randBytes := func(max int) []byte {
		b := make([]byte, r.IntN(max))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	sparse := collTable(t)
	dense := mustLayout(t, Spec{Dense: true, Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Bytes},
		{Name: "c1", Kind: Clustering, Type: codec.Bytes},
		{Name: "c2", Kind: Clustering, Type: codec.Bytes, Desc: true},
		{Name: "v", Kind: Regular, Type: codec.Bytes}}})
	for i := 0; i < 2000; i++ {
		ck := [][]byte{i32(int32(r.Uint32()))}
		cols := []string{"v", "st", "m", "l", "sm", "ss"}
		col := sparse.Column(cols[r.IntN(len(cols))])
		var elem []byte
		if col.Collection != NotCollection {
			elem = randBytes(40)
		}
		name, err := sparse.CellName(ck, col, elem)
		if err != nil {
			t.Fatal(err)
		}
		n, err := sparse.DecodeName(nil, name)
		if err != nil || n.Column != col || n.Static != (col.Kind == Static) {
			t.Fatalf("%x: %+v %v", name, n, err)
		}
		if col.Kind == Regular && !bytes.Equal(n.Clustering[0], ck[0]) {
			t.Fatalf("clustering %x", n.Clustering)
		}
		if (elem != nil) != n.HasElement || !bytes.Equal(n.Element, elem) {
			t.Fatalf("element %x vs %x", n.Element, elem)
		}
		dck := [][]byte{randBytes(30), randBytes(30)}
		dn, err := dense.CellName(dck, dense.Column("v"), nil)
		if err != nil {
			t.Fatal(err)
		}
		back, err := dense.DecodeName(nil, dn)
		if err != nil || !bytes.Equal(back.Clustering[0], dck[0]) || !bytes.Equal(back.Clustering[1], dck[1]) {
			t.Fatalf("dense %x: %+v %v", dn, back, err)
		}
	}
}

func TestDecodeNameRefuses(t *testing.T) {
	l := cql3Table(t)
	for _, bad := range []string{
		"0001",                                          // truncated clustering
		"0001 61 00",                                    // no column component
		"0001 61 00 | 0000 00 | 000000",                 // marker with an element
		"ffff 0001 61 00 | 0001 73 00",                  // static with a clustering value
		"0001 61 00 | 0001 76 00 | 0001 01 00",          // element on a simple column
		"0001 61 00 | 0001 6c 00",                       // list cell without element
		"0001 61 00 | 0001 6c 00 | 0001 01 00 | 000000", // trailing component
	} {
		if _, err := l.DecodeName(nil, unhex(t, bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", bad, err)
		}
	}
	// Unknown columns decode without a Column (dropped columns are skipped).
	n, err := l.DecodeName(nil, unhex(t, "0001 61 00 | 0001 7a 00"))
	if err != nil || n.Column != nil || string(n.ColumnBytes) != "z" {
		t.Errorf("unknown column: %+v %v", n, err)
	}
}

func TestClusteringLimits(t *testing.T) {
	l := cql3Table(t)
	var ie *InvalidError
	_, err := l.CellName([][]byte{make([]byte, 65535)}, l.Column("v"), nil)
	if !errors.As(err, &ie) || ie.Msg != "Key length of 65535 is longer than maximum of 65534" {
		t.Errorf("first component: %v", err)
	}
	_, err = l.CellName([][]byte{txt("a")}, l.Column("l"), make([]byte, 70000))
	if !errors.As(err, &ie) {
		t.Errorf("element: %v", err)
	}
}
