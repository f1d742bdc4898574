package migrate

import (
	"context"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/cql"
)

// moveCheckpoint records the token ranges of one move that are copied, in
// the table CQLMoveTable of the target keyspace: one row per finished
// range, with the rows it held on the Thrift side, so that an interrupted
// move resumes after them and the final check knows what each range
// should hold.
type moveCheckpoint struct {
	db    *cql.Session
	table string // qualified, quoted
	move  string // the move's name: "ks.ColumnFamily -> ks.table"
}

// rangeDone is a finished range as recorded.
type rangeDone struct {
	rows, cells int64
}

func newMoveCheckpoint(ctx context.Context, db *cql.Session, keyspace, move string) (*moveCheckpoint, error) {
	c := &moveCheckpoint{db: db, table: codec.MaybeQuote(keyspace) + "." + CQLMoveTable, move: move}
	if err := db.Exec(ctx, "CREATE TABLE IF NOT EXISTS "+c.table+
		" (move text, range_start text, range_end text, rows bigint, cells bigint, finished_at timestamp, runner text,"+
		" PRIMARY KEY ((move), range_start, range_end))"); err != nil {
		return nil, err
	}
	if err := db.AwaitSchemaAgreement(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// load reads the finished ranges, keyed by range.
func (c *moveCheckpoint) load(ctx context.Context) (map[tokenRange]rangeDone, error) {
	out := map[tokenRange]rangeDone{}
	for row, err := range c.db.Query(ctx, "SELECT range_start, range_end, rows, cells FROM "+c.table+" WHERE move = ?", c.move, cql.Consistency(cassa.Quorum)) {
		if err != nil {
			return nil, err
		}
		var r tokenRange
		var d rangeDone
		if err := row.Scan(&r.start, &r.end, &d.rows, &d.cells); err != nil {
			return nil, err
		}
		out[r] = d
	}
	return out, nil
}

// key is how a range is recorded (its bounds as printed; the whole ring
// has empty bounds).
func checkpointKey(r tokenRange) tokenRange {
	return tokenRange{start: r.start, end: r.end}
}

// done records a finished range.
func (c *moveCheckpoint) done(ctx context.Context, r tokenRange, d rangeDone, runner string) error {
	return c.db.Exec(ctx, "INSERT INTO "+c.table+" (move, range_start, range_end, rows, cells, finished_at, runner) VALUES (?, ?, ?, ?, ?, ?, ?)",
		c.move, r.start, r.end, d.rows, d.cells, time.Now(), runner, cql.Consistency(cassa.Quorum))
}

// reset forgets the move's finished ranges.
func (c *moveCheckpoint) reset(ctx context.Context) error {
	return c.db.Exec(ctx, "DELETE FROM "+c.table+" WHERE move = ?", c.move, cql.Consistency(cassa.Quorum))
}
