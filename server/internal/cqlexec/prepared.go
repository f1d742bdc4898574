package cqlexec

import (
	"container/list"
	"crypto/md5"
	"maps"
	"sync"
	"sync/atomic"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/cqlquery"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// DefaultPreparedCacheSize is the prepared statement cache's budget when
// Config.PreparedCacheSize is zero: prepared_statements_cache_size_mb's
// floor in 3.11 (10 MiB; Cassandra takes the larger of that and 1/256 of
// the heap).
const DefaultPreparedCacheSize = 10 << 20

// kind says how the executor runs a statement.
type kind uint8

const (
	kindData     kind = iota + 1 // SELECT, INSERT, UPDATE, DELETE, BATCH: run by cqlquery
	kindUse                      // USE
	kindSchema                   // keyspace, table, index and type DDL
	kindTruncate                 // TRUNCATE
	kindRefused                  // what 3.11 refuses in this setup
)

// prepared is a statement ready to run: what PREPARE caches, and what a
// QUERY builds for its one execution (QueryProcessor's Prepared).
type prepared struct {
	query string
	// keyspace is the session's keyspace when the statement was prepared:
	// the statement's unqualified names resolve against it, whichever
	// session executes it.
	keyspace string
	parsed   *cqlparse.Parsed
	kind     kind
	// data is a data statement (kindData): its bind and result metadata
	// are what PREPARE answered.
	data *cqlquery.Statement
	// tables are the table definitions the statement was prepared
	// against. When one of them changes in a way 3.11 says affects
	// statements, the statement is evicted and its next EXECUTE answers
	// Unprepared, so that the driver prepares it again and learns the new
	// metadata (QueryProcessor's removeInvalidPreparedStatements). Any
	// other change keeps it: cqlquery runs it on the new definition.
	tables atomic.Pointer[[]*schema.Table]
	// qualified is set when the statement names the keyspace of every
	// table it touches.
	qualified bool
}

func (p *prepared) setTables(ts []*schema.Table) {
	cp := append([]*schema.Table(nil), ts...)
	p.tables.Store(&cp)
}

// stale reports whether a table the statement was prepared against is
// gone from cat or changed there in a way that affects prepared
// statements.
func (p *prepared) stale(cat *schema.Catalog) bool {
	ts := p.tables.Load()
	if ts == nil {
		return false
	}
	var moved []*schema.Table
	for i, t := range *ts {
		cur := cat.FindTable(t.Keyspace, t.Name)
		if cur == t {
			continue
		}
		if affectsStatements(t, cur) {
			return true
		}
		if moved == nil {
			moved = append([]*schema.Table(nil), *ts...)
		}
		moved[i] = cur
	}
	if moved != nil {
		// Remember the definitions this one still holds for, so that the
		// next EXECUTE compares pointers again.
		p.tables.Store(&moved)
	}
	return false
}

// affectsStatements reports whether a table's change from old to cur
// invalidates the statements prepared on it. 3.11 evicts them when the
// table is dropped (a table created again under the name is another
// table) and when CFMetaData.apply reports a change of its regular or
// static columns or of its indexes; here a change of the primary key
// columns (a RENAME) counts too, since the bind and result metadata name
// them, and so does DROP COMPACT STORAGE, which shows columns COMPACT
// STORAGE hid.
func affectsStatements(old, cur *schema.Table) bool {
	if cur == nil || cur.ID != old.ID {
		return true
	}
	if old.Dense != cur.Dense || old.Compound != cur.Compound || old.Super != cur.Super {
		return true
	}
	a, b := old.AllColumns(), cur.AllColumns()
	if len(a) != len(b) {
		return true
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Name != y.Name || x.Kind != y.Kind || x.Position != y.Position || x.Order != y.Order ||
			x.Type.Class() != y.Type.Class() {
			return true
		}
	}
	if len(old.Indexes) != len(cur.Indexes) {
		return true
	}
	for i := range old.Indexes {
		x, y := old.Indexes[i], cur.Indexes[i]
		if x.Name != y.Name || x.Kind != y.Kind || !maps.Equal(x.Options, y.Options) {
			return true
		}
	}
	return false
}

// weight estimates the memory an entry holds (QueryProcessor.measure).
func (p *prepared) weight() int {
	n := 0
	if p.data != nil {
		n = len(p.data.BindColumns) + len(p.data.ResultColumns)
	}
	return 1024 + 8*len(p.query) + 256*n
}

// statementID is QueryProcessor.computeId: MD5 of the keyspace name
// followed by the query text, or of the text alone without a keyspace.
func statementID(query, keyspace string) [md5.Size]byte {
	if keyspace == "" {
		return md5.Sum([]byte(query))
	}
	return md5.Sum([]byte(keyspace + query))
}

// preparedCache holds prepared statements by ID, least recently used
// first out once their weights exceed the budget (3.11's Caffeine cache
// weighed by statement size). One statement may be stored under two IDs.
type preparedCache struct {
	mu     sync.Mutex
	budget int
	used   int
	lru    *list.List // of *cacheEntry, most recent at the front
	byID   map[[md5.Size]byte]*list.Element
}

type cacheEntry struct {
	id [md5.Size]byte
	p  *prepared
	w  int
}

func newPreparedCache(budget int) *preparedCache {
	if budget <= 0 {
		budget = DefaultPreparedCacheSize
	}
	return &preparedCache{budget: budget, lru: list.New(), byID: make(map[[md5.Size]byte]*list.Element)}
}

// get returns the statement stored under id, or nil.
func (c *preparedCache) get(id []byte) *prepared {
	if len(id) != md5.Size {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[[md5.Size]byte(id)]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(e)
	return e.Value.(*cacheEntry).p
}

// put stores p under id, evicting the least recently used entries while
// the cache is over budget (never the one just stored).
func (c *preparedCache) put(id [md5.Size]byte, p *prepared) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[id]; ok {
		c.removeLocked(e)
	}
	ent := &cacheEntry{id: id, p: p, w: p.weight()}
	c.byID[id] = c.lru.PushFront(ent)
	c.used += ent.w
	for c.used > c.budget && c.lru.Len() > 1 {
		c.removeLocked(c.lru.Back())
	}
}

// evict removes the entry stored under id if it still holds p.
func (c *preparedCache) evict(id []byte, p *prepared) {
	if len(id) != md5.Size {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[[md5.Size]byte(id)]; ok && e.Value.(*cacheEntry).p == p {
		c.removeLocked(e)
	}
}

func (c *preparedCache) removeLocked(e *list.Element) {
	ent := e.Value.(*cacheEntry)
	c.lru.Remove(e)
	delete(c.byID, ent.id)
	c.used -= ent.w
}

// len returns how many IDs the cache holds.
func (c *preparedCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
