package layout

import (
	"bytes"
	"errors"
	"fmt"
	"sort"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
)

// Update collects the Ops that one CQL statement (or one statement of a
// batch) makes to one partition, as Cassandra 2.2's UpdateParameters and
// the Operations of Constants, Lists, Sets and Maps write them. Every cell,
// marker and tombstone carries the statement's timestamp; cells and
// markers its TTL, tombstones none. Clustering values ck are the row's
// (ignored for static columns). An Update is not safe for concurrent use.
type Update struct {
	l   *Layout
	ts  int64
	ttl int32
	ids *ListIDs
	ops []store.Op
	// arena holds the cell names of the Ops, a chunk at a time; the store
	// keeps referring to it, so a chunk is never reused, and chunks grow
	// with the update so that a small one keeps little memory alive.
	arena []byte
	named int // bytes of names made so far
}

// NewUpdate starts an update with the statement's timestamp and TTL (0: no
// expiry; the executor has applied the table's default_time_to_live). ids
// names list elements; it may be nil when the statement appends and
// prepends to no list.
func (l *Layout) NewUpdate(timestamp int64, ttl int32, ids *ListIDs) *Update {
	return &Update{l: l, ts: timestamp, ttl: ttl, ids: ids, ops: make([]store.Op, 0, 16)}
}

// Ops returns the Ops collected so far.
func (u *Update) Ops() []store.Op { return u.ops }

// Mutation returns the row mutation of partition key in table t.
func (u *Update) Mutation(t *schema.Table, key []byte) store.RowMutation {
	return store.NewRowMutation(t, key, u.ops...)
}

func (u *Update) put(name, value []byte) {
	u.ops = append(u.ops, store.Op{Kind: store.OpPut, Name: name, Value: value, Timestamp: u.ts, TTL: u.ttl})
}

func (u *Update) tombstone(name []byte) {
	u.ops = append(u.ops, store.Op{Kind: store.OpDeleteColumn, Name: name, Timestamp: u.ts})
}

func (u *Update) rangeTombstone(s store.Slice, ts int64) {
	u.ops = append(u.ops, store.Op{Kind: store.OpDeleteRange, Start: s.Start, Finish: s.Finish,
		StartExclusive: s.StartExclusive && len(s.Start) > 0, FinishExclusive: s.FinishExclusive && len(s.Finish) > 0, Timestamp: ts})
}

// Insert records that INSERT wrote row ck: the row marker (its clustering
// and an empty column name, with the statement's timestamp and TTL) on a
// Sparse table; the empty compact cell on a dense table declared without a
// value column; nothing elsewhere (COMPACT STORAGE rows exist through their
// cells). Not for static-only inserts, which write no marker.
func (u *Update) Insert(ck [][]byte) error {
	switch u.l.shape {
	case Sparse:
		name, err := u.l.RowMarker(ck)
		if err != nil {
			return err
		}
		u.put(name, []byte{})
	case DenseSimple, DenseCompound:
		if u.l.value != nil {
			return nil
		}
		name, err := u.l.clusteringName(ck)
		if err != nil {
			return err
		}
		u.put(name, []byte{})
	case Super:
		if u.l.value == nil {
			return u.superPut(ck, []byte{})
		}
	}
	return nil
}

// name is col's cell name in row ck, with an optional element.
func (u *Update) name(ck [][]byte, col *Column, element []byte) ([]byte, error) {
	if cap(u.arena)-len(u.arena) < 64 {
		u.arena = make([]byte, 0, min(max(64, 2*u.named), 4096))
	}
	var name []byte
	var err error
	u.arena, name, err = u.l.appendCellName(u.arena, ck, col, element)
	u.named += len(name)
	return name, err
}

// Set writes value to a simple or frozen column; nil writes a tombstone
// (col = null). On a non-frozen collection it overwrites the whole
// collection (SetCollection) with the serialized value.
func (u *Update) Set(ck [][]byte, col *Column, value []byte) error {
	if col != nil && col.Collection != NotCollection {
		return u.SetCollection(ck, col, value)
	}
	switch u.l.shape {
	case Super:
		if value == nil {
			return u.superDelete(ck)
		}
		return u.superPut(ck, value)
	case SuperSparse:
		if value == nil {
			return u.subColumnDelete(ck, col)
		}
		return u.subColumnPut(ck, col, value)
	}
	name, err := u.name(ck, col, nil)
	if err != nil {
		return err
	}
	if value == nil {
		u.tombstone(name)
		return nil
	}
	u.put(name, value)
	return nil
}

// Delete is DELETE col: a tombstone of a simple or frozen column, or the
// deletion of a whole non-frozen collection or user type (a range
// tombstone over its elements at the statement's timestamp).
func (u *Update) Delete(ck [][]byte, col *Column) error {
	if col != nil && col.Collection != NotCollection {
		s, err := u.collectionSlice(ck, col)
		if err != nil {
			return err
		}
		u.rangeTombstone(s, u.ts)
		return nil
	}
	return u.Set(ck, col, nil)
}

// collectionSlice spans every element cell of a collection column:
// [(ck, col) EOC -1, (ck, col) EOC +1].
func (u *Update) collectionSlice(ck [][]byte, col *Column) (store.Slice, error) {
	if u.l.shape != Sparse {
		return store.Slice{}, fmt.Errorf("layout: %s tables have no collections", u.l.shape)
	}
	name, err := u.name(ck, col, nil)
	if err != nil {
		return store.Slice{}, err
	}
	// name ends with the column component and its 0 EOC byte.
	start := append([]byte(nil), name...)
	finish := append([]byte(nil), name...)
	start[len(start)-1] = 0xff // EOC -1
	finish[len(finish)-1] = byte(eocEnd)
	return store.Slice{Start: start, Finish: finish}, nil
}

func needCollection(col *Column, kinds ...Collection) error {
	if col == nil {
		return errors.New("layout: no column")
	}
	for _, k := range kinds {
		if col.Collection == k {
			return nil
		}
	}
	return fmt.Errorf("layout: column %q is not a non-frozen %v", col.Name, kinds)
}

// SetCollection overwrites a non-frozen collection or user type with a
// serialized value (nil or empty: the column becomes null): a range
// tombstone over the old elements at timestamp-1, then the new element
// (field) cells (UpdateParameters.setComplexDeletionTimeForOverwrite).
func (u *Update) SetCollection(ck [][]byte, col *Column, value []byte) error {
	if err := needCollection(col, List, Set, Map, UDT); err != nil {
		return err
	}
	var elems [][]byte
	if value != nil {
		var err error
		if col.Collection == UDT {
			elems, err = u.l.splitFields(col, value)
		} else {
			elems, err = u.l.splitCollection(col, value)
		}
		if err != nil {
			return err
		}
	}
	s, err := u.collectionSlice(ck, col)
	if err != nil {
		return err
	}
	if col.Collection == List && len(elems) > 0 && u.ids == nil {
		return errors.New("layout: list writes need ListIDs")
	}
	u.rangeTombstone(s, u.ts-1)
	return u.addElements(ck, col, elems)
}

// addElements writes decoded elements: appended list elements, set
// elements with empty values, map entries.
func (u *Update) addElements(ck [][]byte, col *Column, elems [][]byte) error {
	switch col.Collection {
	case List:
		if len(elems) == 0 {
			return nil
		}
		if u.ids == nil {
			return errors.New("layout: list writes need ListIDs")
		}
		return u.listCells(ck, col, u.ids.Append(len(elems)), elems)
	case Set:
		for _, e := range elems {
			name, err := u.name(ck, col, e)
			if err != nil {
				return err
			}
			u.put(name, []byte{})
		}
	case Map, UDT:
		for i := 0; i+1 < len(elems); i += 2 {
			name, err := u.name(ck, col, elems[i])
			if err != nil {
				return err
			}
			u.put(name, elems[i+1])
		}
	}
	return nil
}

func (u *Update) listCells(ck [][]byte, col *Column, ids, elems [][]byte) error {
	for i, e := range elems {
		name, err := u.name(ck, col, ids[i])
		if err != nil {
			return err
		}
		u.put(name, e)
	}
	return nil
}

// splitCollection decodes a serialized collection for writing: elements
// validated by their types, nulls refused, map keys de-duplicated keeping
// the last value (Maps.Value.fromSerialized keeps an insertion-ordered
// map, so a repeated key's last value wins).
func (l *Layout) splitCollection(col *Column, value []byte) ([][]byte, error) {
	elems, err := DecodeCollection(col.Collection, value)
	if err != nil {
		return nil, err
	}
	for i, e := range elems {
		if e == nil {
			switch col.Collection {
			case List:
				return nil, invalidf("Invalid null element in list")
			case Set:
				return nil, invalidf("Invalid null element in set")
			}
			return nil, invalidf("Invalid null value in map")
		}
		t := col.Elements
		if col.Collection == Map && i%2 == 1 {
			t = col.Values
		}
		if err := validate(t, e); err != nil {
			return nil, err
		}
		if (col.Collection != List && (col.Collection == Set || i%2 == 0)) && len(e) > maxComponent {
			return nil, invalidf("%s", elementTooLong(col, len(e)))
		}
	}
	if col.Collection == Map && len(elems) > 2 {
		elems = dedupeMap(col.Elements, elems)
	}
	return elems, nil
}

func validate(t codec.Type, v []byte) error {
	if t == nil {
		return nil
	}
	if err := t.Validate(v); err != nil {
		var ve *codec.ValidationError
		if errors.As(err, &ve) {
			return &InvalidError{Msg: ve.Msg}
		}
		return &InvalidError{Msg: err.Error()}
	}
	return nil
}

// dedupeMap keeps the last value of every key (keys equal by the key type).
func dedupeMap(keyType codec.Type, kv [][]byte) [][]byte {
	n := len(kv) / 2
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return keyType.Compare(kv[2*idx[a]], kv[2*idx[b]]) < 0 })
	out := make([][]byte, 0, len(kv))
	for i := 0; i < n; i++ {
		if i+1 < n && keyType.Compare(kv[2*idx[i]], kv[2*idx[i+1]]) == 0 {
			continue // a later entry with the same key follows in the stable order
		}
		out = append(out, kv[2*idx[i]], kv[2*idx[i]+1])
	}
	return out
}

// Append appends a serialized list's elements (l = l + [...]): each a new
// cell named by a fresh, increasing time UUID.
func (u *Update) Append(ck [][]byte, col *Column, value []byte) error {
	return u.addSerialized(ck, col, List, value)
}

// Prepend prepends a serialized list's elements (l = [...] + l): cells
// named by time UUIDs earlier than every existing element (Lists.Prepender).
func (u *Update) Prepend(ck [][]byte, col *Column, value []byte) error {
	elems, err := u.splitFor(col, List, value)
	if err != nil || len(elems) == 0 {
		return err
	}
	if u.ids == nil {
		return errors.New("layout: list writes need ListIDs")
	}
	return u.listCells(ck, col, u.ids.Prepend(len(elems)), elems)
}

// AddElements adds a serialized set's elements to a set (s = s + {...}).
func (u *Update) AddElements(ck [][]byte, col *Column, value []byte) error {
	return u.addSerialized(ck, col, Set, value)
}

// PutEntries puts a serialized map's entries into a map (m = m + {...}).
func (u *Update) PutEntries(ck [][]byte, col *Column, value []byte) error {
	return u.addSerialized(ck, col, Map, value)
}

// addSerialized adds a serialized collection's elements to col, a
// non-frozen collection of the given kind; a nil value adds nothing.
func (u *Update) addSerialized(ck [][]byte, col *Column, kind Collection, value []byte) error {
	elems, err := u.splitFor(col, kind, value)
	if err != nil {
		return err
	}
	return u.addElements(ck, col, elems)
}

// splitFor checks that col is a non-frozen collection of the given kind
// and decodes a serialized value for it; a nil value has no elements.
func (u *Update) splitFor(col *Column, kind Collection, value []byte) ([][]byte, error) {
	if err := needCollection(col, kind); err != nil {
		return nil, err
	}
	if value == nil {
		return nil, nil
	}
	return u.l.splitCollection(col, value)
}

// PutEntry is m[key] = value; a nil value deletes the key.
func (u *Update) PutEntry(ck [][]byte, col *Column, key, value []byte) error {
	if err := needCollection(col, Map); err != nil {
		return err
	}
	if key == nil {
		return invalidf("Invalid null map key")
	}
	name, err := u.elementName(ck, col, key)
	if err != nil {
		return err
	}
	return u.putOrTombstone(name, col.Values, value)
}

// elementName validates a set element or map key of col and returns the
// name of its cell.
func (u *Update) elementName(ck [][]byte, col *Column, e []byte) ([]byte, error) {
	if err := validate(col.Elements, e); err != nil {
		return nil, err
	}
	return u.name(ck, col, e)
}

// putOrTombstone writes value, validated by t, as the cell name; a nil
// value writes a tombstone instead.
func (u *Update) putOrTombstone(name []byte, t codec.Type, value []byte) error {
	if value == nil {
		u.tombstone(name)
		return nil
	}
	if err := validate(t, value); err != nil {
		return err
	}
	u.put(name, value)
	return nil
}

// RemoveElements removes elements from a set (s = s - {...}) or keys from
// a map (m = m - {...}); value is a serialized set.
func (u *Update) RemoveElements(ck [][]byte, col *Column, value []byte) error {
	if err := needCollection(col, Set, Map); err != nil {
		return err
	}
	if value == nil {
		return nil
	}
	elems, err := DecodeCollection(Set, value)
	if err != nil {
		return err
	}
	for _, e := range elems {
		if err := u.DeleteElement(ck, col, e); err != nil {
			return err
		}
	}
	return nil
}

// DeleteElement is DELETE s[e] or DELETE m[k]: a tombstone of one element.
func (u *Update) DeleteElement(ck [][]byte, col *Column, element []byte) error {
	if err := needCollection(col, Set, Map); err != nil {
		return err
	}
	if element == nil {
		if col.Collection == Map {
			return invalidf("Invalid null map key")
		}
		return invalidf("Invalid null set element")
	}
	name, err := u.elementName(ck, col, element)
	if err != nil {
		return err
	}
	u.tombstone(name)
	return nil
}

// ListElement is one element of a list as stored: its time UUID name and
// its value.
type ListElement struct {
	ID    []byte
	Value []byte
}

// SetListIndex is l[idx] = value (nil value: a tombstone of the element),
// given the list's current elements in order (Lists.SetterByIndex).
func (u *Update) SetListIndex(ck [][]byte, col *Column, current []ListElement, idx int32, value []byte) error {
	name, err := u.listIndexName(ck, col, current, idx, "Attempted to set an element on a list which is null")
	if err != nil {
		return err
	}
	return u.putOrTombstone(name, col.Elements, value)
}

// DeleteListIndex is DELETE l[idx] (Lists.DiscarderByIndex).
func (u *Update) DeleteListIndex(ck [][]byte, col *Column, current []ListElement, idx int32) error {
	name, err := u.listIndexName(ck, col, current, idx, "Attempted to delete an element from a list which is null")
	if err != nil {
		return err
	}
	u.tombstone(name)
	return nil
}

// listIndexName is the cell name of the list element at idx, given the
// list's current elements; nullMsg is the error when the list is null.
func (u *Update) listIndexName(ck [][]byte, col *Column, current []ListElement, idx int32, nullMsg string) ([]byte, error) {
	if err := needCollection(col, List); err != nil {
		return nil, err
	}
	if len(current) == 0 {
		return nil, invalidf("%s", nullMsg)
	}
	if idx < 0 || int(idx) >= len(current) {
		return nil, invalidf("List index %d out of bound, list has size %d", idx, len(current))
	}
	return u.name(ck, col, current[idx].ID)
}

// DiscardFromList is l = l - [...]: a tombstone of every current element
// whose value equals (byte for byte) one of the serialized list's
// (Lists.Discarder).
func (u *Update) DiscardFromList(ck [][]byte, col *Column, current []ListElement, value []byte) error {
	if err := needCollection(col, List); err != nil {
		return err
	}
	if value == nil || len(current) == 0 {
		return nil
	}
	drop, err := DecodeCollection(List, value)
	if err != nil {
		return err
	}
	for _, el := range current {
		for _, d := range drop {
			if d != nil && bytes.Equal(el.Value, d) {
				name, err := u.name(ck, col, el.ID)
				if err != nil {
					return err
				}
				u.tombstone(name)
				break
			}
		}
	}
	return nil
}

// AddCounter adds delta to a counter column (c = c + delta). The store
// stamps counter updates with server time.
func (u *Update) AddCounter(ck [][]byte, col *Column, delta int64) error {
	if col == nil || !col.Counter {
		return errors.New("layout: not a counter column")
	}
	switch u.l.shape {
	case Super, SuperSparse:
		if err := u.l.needClustering(ck); err != nil {
			return err
		}
		name := col.Bytes
		if u.l.shape == Super {
			name = ck[1]
		}
		u.ops = append(u.ops, store.Op{Kind: store.OpAddCounter, Super: ck[0], Name: name, Delta: delta})
		return nil
	}
	name, err := u.name(ck, col, nil)
	if err != nil {
		return err
	}
	u.ops = append(u.ops, store.Op{Kind: store.OpAddCounter, Name: name, Delta: delta})
	return nil
}

// DeleteRow deletes row ck (DELETE with the full primary key): on a Sparse
// table a range tombstone over the row's cells, which keeps the statics;
// on a dense table a tombstone of the compact cell (UpdateParameters
// addRowDeletion); on a table without clustering columns the partition.
func (u *Update) DeleteRow(ck [][]byte) error {
	if len(u.l.ck) == 0 {
		u.DeletePartition()
		return nil
	}
	if err := u.l.needClustering(ck); err != nil {
		return err
	}
	switch u.l.shape {
	case Sparse:
		u.rangeTombstone(u.l.prefixInterval(ck), u.ts)
		return nil
	case Super:
		return u.superDelete(ck)
	case SuperSparse:
		// The whole super column, its undeclared sub-columns too (3.11
		// deletes the row, the "" map with it).
		u.ops = append(u.ops, store.Op{Kind: store.OpDeleteSuper, Super: ck[0], Timestamp: u.ts})
		return nil
	}
	name, err := u.l.clusteringName(ck)
	if err != nil {
		return err
	}
	u.tombstone(name)
	return nil
}

// DeletePartition is DELETE with only the partition key: a partition
// tombstone, which deletes the statics too.
func (u *Update) DeletePartition() {
	u.ops = append(u.ops, store.Op{Kind: store.OpDeleteRow, Timestamp: u.ts})
}

// DeleteSelection deletes the rows a clustering prefix or slice selects
// (3.0+ range deletions): range tombstones over Slices(sel), which never
// cover static cells.
func (u *Update) DeleteSelection(sel Selection) error {
	if u.l.shape == Super {
		return u.superDeleteSelection(sel)
	}
	if u.l.shape == SuperSparse {
		p, err := u.l.checkSelection(&sel)
		if err != nil {
			return err
		}
		if p == 1 && sel.Lower == nil && sel.Upper == nil {
			for _, pr := range sel.Prefixes {
				u.ops = append(u.ops, store.Op{Kind: store.OpDeleteSuper, Super: pr[0], Timestamp: u.ts})
			}
			return nil
		}
	}
	slices, err := u.l.Slices(sel)
	if err != nil {
		return err
	}
	for _, s := range slices {
		u.rangeTombstone(s, u.ts)
	}
	return nil
}

// ---- super column families: (column1, column2) = (super column, name) ----

// subColumnPut writes a declared sub-column of a SuperSparse table.
func (u *Update) subColumnPut(ck [][]byte, col *Column, value []byte) error {
	if err := u.l.needClustering(ck); err != nil {
		return err
	}
	u.ops = append(u.ops, store.Op{Kind: store.OpPut, Super: ck[0], Name: col.Bytes, Value: value, Timestamp: u.ts, TTL: u.ttl})
	return nil
}

func (u *Update) subColumnDelete(ck [][]byte, col *Column) error {
	if err := u.l.needClustering(ck); err != nil {
		return err
	}
	u.ops = append(u.ops, store.Op{Kind: store.OpDeleteColumn, Super: ck[0], Name: col.Bytes, Timestamp: u.ts})
	return nil
}

func (u *Update) superPut(ck [][]byte, value []byte) error {
	if err := u.l.needClustering(ck); err != nil {
		return err
	}
	u.ops = append(u.ops, store.Op{Kind: store.OpPut, Super: ck[0], Name: ck[1], Value: value, Timestamp: u.ts, TTL: u.ttl})
	return nil
}

func (u *Update) superDelete(ck [][]byte) error {
	if err := u.l.needClustering(ck); err != nil {
		return err
	}
	u.ops = append(u.ops, store.Op{Kind: store.OpDeleteColumn, Super: ck[0], Name: ck[1], Timestamp: u.ts})
	return nil
}

func (u *Update) superDeleteSelection(sel Selection) error {
	p, err := u.l.checkSelection(&sel)
	if err != nil {
		return err
	}
	sub := func(b *Bound) bool { return b != nil && (p > 0 || len(b.Values) > 1) }
	if p == 0 && (sub(sel.Lower) || sub(sel.Upper)) {
		return errors.New("layout: a super column family cannot delete a slice across super columns and sub-columns")
	}
	switch p {
	case 2:
		for _, pr := range sel.Prefixes {
			if err := u.superDelete(pr); err != nil {
				return err
			}
		}
	case 1:
		for _, pr := range sel.Prefixes {
			if sel.Lower == nil && sel.Upper == nil {
				u.ops = append(u.ops, store.Op{Kind: store.OpDeleteSuper, Super: pr[0], Timestamp: u.ts})
				continue
			}
			var s store.Slice
			if b := sel.Lower; b != nil {
				s.Start, s.StartExclusive = b.Values[0], !b.Inclusive
			}
			if b := sel.Upper; b != nil {
				s.Finish, s.FinishExclusive = b.Values[0], !b.Inclusive
			}
			if u.l.ck[1].Desc {
				s.Start, s.Finish = s.Finish, s.Start
				s.StartExclusive, s.FinishExclusive = s.FinishExclusive, s.StartExclusive
			}
			op := store.Op{Kind: store.OpDeleteRange, Super: pr[0], Start: s.Start, Finish: s.Finish,
				StartExclusive: s.StartExclusive, FinishExclusive: s.FinishExclusive, Timestamp: u.ts}
			u.ops = append(u.ops, op)
		}
	default:
		slices, err := u.l.Slices(sel)
		if err != nil {
			return err
		}
		for _, s := range slices {
			u.rangeTombstone(s, u.ts)
		}
	}
	return nil
}
