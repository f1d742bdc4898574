package migrate

import (
	"context"
	"fmt"
	"slices"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/internal/check"
)

// PlanDropCompactStorage plans switching Thrift column families over to
// CQL tables in place, the other road off Thrift: on Cassandra 3.x a
// column family is a COMPACT STORAGE table, and ALTER TABLE ... DROP
// COMPACT STORAGE (3.0.16, 3.11.2 and later 3.x) makes it a regular CQL
// table of the same data, with no copy. Each table is a step of kind
// StepDropCompactStorage carrying a WarnChangesTable warning (it needs
// 3.x, before 4.0, and the table looks different from CQL afterwards); a
// table that is no longer compact plans nothing, so applying the plan and
// planning again gives an empty plan.
//
// Refused steps: on Cassandra 4.0 and later (no COMPACT STORAGE tables
// exist there: switch them before upgrading), on a node older than 3.0,
// and for a super column family (copy it with MoveThriftToCQL instead). A
// keyspace or table that does not exist is a *SpecError.
func PlanDropCompactStorage(ctx context.Context, db *cql.Session, keyspace string, tables ...string) (*Plan, error) {
	const op = "migrate.PlanDropCompactStorage"
	if db == nil {
		return nil, check.Nil(op, "db")
	}
	if err := check.Context(ctx, op); err != nil {
		return nil, err
	}
	live, err := readLiveKeyspace(ctx, db, keyspace)
	if err != nil {
		return nil, err
	}
	if live == nil {
		return nil, &SpecError{Path: "keyspace", Msg: fmt.Sprintf("keyspace %s does not exist", keyspace)}
	}
	major, err := readMajorVersion(ctx, db)
	if err != nil {
		return nil, err
	}
	p := &Plan{Keyspace: keyspace, Protocol: ProtocolCQL, Steps: []Step{}}
	pl := &cqlPlanner{db: db, ks: keyspace, major: major}
	for i, name := range tables {
		lt := live.tables[name]
		if lt == nil {
			return nil, &SpecError{Path: fmt.Sprintf("tables[%d]", i), Msg: fmt.Sprintf("table %s.%s does not exist", keyspace, name)}
		}
		if !lt.compact() {
			continue
		}
		s := Step{Kind: StepDropCompactStorage, Table: name}
		switch {
		case major >= 4:
			pl.refuse(s, fmt.Sprintf("Cassandra %d.x has no COMPACT STORAGE tables: drop compact storage on 3.x before upgrading, or copy the column family with MoveThriftToCQL", major))
			continue
		case major < 3:
			pl.refuse(s, fmt.Sprintf("Cassandra %d.x has no DROP COMPACT STORAGE (3.0.16 and 3.11.2 brought it)", major))
			continue
		case slices.Contains(lt.flags, "super"):
			pl.refuse(s, "a super column family cannot drop compact storage here: copy it into a table with MoveThriftToCQL")
			continue
		}
		s.Warnings = []Warning{{Class: WarnChangesTable, Message: fmt.Sprintf(
			"needs Cassandra 3.0.16 or 3.11.2 and later, before 4.0; %s becomes a regular CQL table: its hidden columns (the comparator's and the default validator's, column1 and value unless renamed) become regular columns and its dynamic columns rows, so CQL statements and models that read the compact view must change with it",
			name)}}
		pl.step(s, "ALTER TABLE "+codec.MaybeQuote(keyspace)+"."+codec.MaybeQuote(name)+" DROP COMPACT STORAGE")
	}
	p.Steps = pl.steps
	if p.Steps == nil {
		p.Steps = []Step{}
	}
	return p.sorted(), nil
}
