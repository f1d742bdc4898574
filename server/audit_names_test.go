package server_test

import (
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Audit: name checks of §2.5 for super column names in every position.
// ThriftValidation.validateColumnNames(metadata, superColumnName, names)
// reports "supercolumn name ..." only for the superColumnName argument;
// a super column name validated on its own (ColumnParent.super_column,
// ColumnPath.super_column without a column, Deletion.super_column,
// SuperColumn.name) goes through the names loop and gets the
// "column name ..." wording and the super CF's comparator.

func TestAuditSuperColumnNameChecks(t *testing.T) {
	c := dtestClient(t, server.Config{})
	empty := []byte{}
	long := make([]byte, 65536)
	k := []byte("k")
	runErrCases(t, []errCase{
		// ColumnParent.super_column.
		{"insert parent sc empty", func() error {
			return c.Insert(ctx, k, superParent("Super1", empty), bcol(longBytes(1), "v", 1), ONE)
		}, "column name must not be empty"},
		{"insert parent sc too long", func() error {
			return c.Insert(ctx, k, superParent("Super1", long), bcol(longBytes(1), "v", 1), ONE)
		}, "column name length must not be greater than 65535"},
		{"insert parent sc fails the super comparator", func() error {
			return c.Insert(ctx, k, superParent("Super3", []byte("abc")), col("x", "v", 1), ONE)
		}, "Expected 8 or 0 byte long (3)"},
		{"insert sub name fails the subcomparator", func() error {
			return c.Insert(ctx, k, superParent("Super1", []byte("sc")), col("abc", "v", 1), ONE)
		}, "Expected 8 or 0 byte long (3)"},
		{"get_slice parent sc empty", func() error {
			_, err := c.GetSlice(ctx, k, superParent("Super1", empty), columnRange("", "", false, 1), ONE)
			return err
		}, "column name must not be empty"},
		{"get_slice names under sc use the subcomparator", func() error {
			_, err := c.GetSlice(ctx, k, superParent("Super1", []byte("sc")), names("abc"), ONE)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		{"get_slice names without sc use the comparator", func() error {
			_, err := c.GetSlice(ctx, k, parent("Super3"), names("abc"), ONE)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		{"get_slice range without sc uses the comparator", func() error {
			_, err := c.GetSlice(ctx, k, parent("Super3"), columnRange("abc", "", false, 1), ONE)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		// ColumnPath: with a column, the sc is the superColumnName argument.
		{"get path sc empty with column", func() error {
			_, err := c.Get(ctx, k, path("Super1", empty, longBytes(1)), ONE)
			return err
		}, "supercolumn name must not be empty"},
		{"get path sc too long with column", func() error {
			_, err := c.Get(ctx, k, path("Super1", long, longBytes(1)), ONE)
			return err
		}, "supercolumn name length must not be greater than 65535"},
		{"get path sc empty alone", func() error {
			_, err := c.Get(ctx, k, path("Super1", empty, nil), ONE)
			return err
		}, "column name must not be empty"},
		{"get path sc fails the comparator", func() error {
			_, err := c.Get(ctx, k, path("Super3", []byte("abc"), nil), ONE)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		{"remove path sc empty with column", func() error {
			return c.Remove(ctx, k, path("Super1", empty, longBytes(1)), 1, ONE)
		}, "supercolumn name must not be empty"},
		{"remove path sc empty alone", func() error {
			return c.Remove(ctx, k, path("Super1", empty, nil), 1, ONE)
		}, "column name must not be empty"},
		// Deletion.super_column.
		{"deletion sc empty", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutDel(i64p(1), empty, nil)}}}, ONE)
		}, "column name must not be empty"},
		{"deletion sc not a long on Super3", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super3": {mutDel(i64p(1), []byte("x"), nil)}}}, ONE)
		}, "Expected 8 or 0 byte long (1)"},
		{"deletion sc on StandardLong1 checks the name first", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"StandardLong1": {mutDel(i64p(1), []byte("x"), nil)}}}, ONE)
		}, "Expected 8 or 0 byte long (1)"},
		{"deletion names under sc use the subcomparator", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutDel(i64p(1), []byte("sc"), names("abc"))}}}, ONE)
		}, "Expected 8 or 0 byte long (3)"},
		{"deletion names without sc use the comparator", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super3": {mutDel(i64p(1), nil, names("abc"))}}}, ONE)
		}, "Expected 8 or 0 byte long (3)"},
		// SuperColumn.name in a mutation.
		// A SuperColumn is validated column by column as the path
		// (sc, column), so its name is the superColumnName argument...
		{"mutation super name empty", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutSuper(empty, bcol(longBytes(1), "v", 1))}}}, ONE)
		}, "supercolumn name must not be empty"},
		// ...and a SuperColumn without columns is not validated at all.
		{"mutation super name empty without columns", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutSuper(empty)}}}, ONE)
		}, ""},
		{"mutation sub name fails subcomparator", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutSuper([]byte("sc"), col("abc", "v", 1))}}}, ONE)
		}, "Expected 8 or 0 byte long (3)"},
		{"mutation super without columns is fine", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutSuper([]byte("sc"))}}}, ONE)
		}, ""},
		// Counter super column names.
		{"add parent sc empty", func() error {
			return c.Add(ctx, k, superParent("SuperCounter1", empty), counterColumn("c", 1), ONE)
		}, "column name must not be empty"},
		{"remove_counter path sc empty with column", func() error {
			return c.RemoveCounter(ctx, k, path("SuperCounter1", empty, []byte("c")), ONE)
		}, "supercolumn name must not be empty"},
		{"counter super mutation with empty sub name", func() error {
			m := &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{CounterSuperColumn: &tg.CounterSuperColumn{
				Name: []byte("sc"), Columns: []*tg.CounterColumn{{Name: empty, Value: 1}}}}}
			return c.BatchMutate(ctx, mutationMap{"k": {"SuperCounter1": {m}}}, ONE)
		}, "column name must not be empty"},
		{"counter_super_column on standard counter CF", func() error {
			m := &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{CounterSuperColumn: &tg.CounterSuperColumn{
				Name: []byte("sc"), Columns: []*tg.CounterColumn{{Name: []byte("c"), Value: 1}}}}}
			return c.BatchMutate(ctx, mutationMap{"k": {"Counter1": {m}}}, ONE)
		}, "supercolumn parameter is invalid for standard CF Counter1"},
		{"counter_column on super counter CF", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"SuperCounter1": {mutCounter("c", 1)}}}, ONE)
		}, "supercolumn parameter is not optional for super CF SuperCounter1"},
	})
}
