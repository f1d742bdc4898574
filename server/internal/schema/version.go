package schema

import (
	"crypto/md5"
	"encoding/json"

	"github.com/google/uuid"
)

// canonicalKeyspace is what the version digest covers for a keyspace;
// encoding/json sorts map keys, so the encoding is deterministic.
type canonicalKeyspace struct {
	Name     string
	Strategy string
	Options  map[string]string
	Durable  bool
}

// computeVersion digests the canonical schema (keyspaces and describe
// CfDefs in name order; table IDs excluded so identical schemas agree) and
// returns it as UUID.nameUUIDFromBytes(digest), as Cassandra's
// Schema.updateVersion does.
func computeVersion(c *Catalog) uuid.UUID {
	h := md5.New()
	for _, k := range c.Keyspaces() {
		b, _ := json.Marshal(canonicalKeyspace{k.Name, k.StrategyClass, k.StrategyOptions, k.DurableWrites})
		h.Write(b)
		for _, t := range k.sortedTables() {
			b, _ := json.Marshal(t.Def)
			h.Write(b)
		}
	}
	return nameUUID(h.Sum(nil))
}

// nameUUID is Java's UUID.nameUUIDFromBytes: MD5 with version 3 and the
// IETF variant set.
func nameUUID(name []byte) uuid.UUID {
	u := uuid.UUID(md5.Sum(name))
	u[6] = u[6]&0x0f | 0x30
	u[8] = u[8]&0x3f | 0x80
	return u
}
