package server

import (
	"context"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server/internal/schema"
	tg "github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// Constants describe_* reports for this node.
const (
	// Version is the Thrift IDL version of Cassandra 2.2 to 3.11 (the IDL
	// did not change after 2.2), what describe_version returns.
	Version = "20.1.0"
	// Snitch is describe_snitch's answer: SimpleSnitch, without the
	// DynamicEndpointSnitch wrapper.
	Snitch    = "org.apache.cassandra.locator.SimpleSnitch"
	localRack = "rack1"
	msgCQL2   = "CQL2 has been removed in Cassandra 3.0. Please use CQL3 instead"
	msgNoCQL3 = "CQL over Thrift is not supported by this server (cassa embedded server): use the native protocol"
)

// requireLogin is Cassandra's ClientState.validateLogin: it only
// bites when the authenticator requires authentication.
func (c *conn) requireLogin() error {
	if c.sess.user == "" {
		return ire(msgNotLoggedIn)
	}
	return nil
}

// lookup runs the checks every data method starts with, in Cassandra's
// order: the session keyspace (ClientState.getKeyspace), the column family
// (ThriftValidation.validateColumnFamily), then the login
// (ClientState.hasColumnFamilyAccess).
func (c *conn) lookup(cat *schema.Catalog, cf string) (*schema.Table, error) {
	if c.sess.keyspace == "" {
		return nil, ire(msgNoKeyspace)
	}
	return c.lookupIn(cat, c.sess.keyspace, cf)
}

// lookupIn is lookup's column family and login checks for an explicit
// keyspace. The schema calls use it, and like 3.11's
// ClientState.hasColumnFamilyAccess it finds the built-in system tables
// too, which the access check then refuses.
func (c *conn) lookupIn(cat *schema.Catalog, ks, cf string) (*schema.Table, error) {
	k := cat.Keyspace(ks)
	if k == nil {
		return nil, iref("Keyspace %s does not exist", ks)
	}
	if cf == "" {
		return nil, ire("non-empty table is required")
	}
	t := k.FindTable(cf)
	if t == nil {
		return nil, iref("unconfigured table %s", cf)
	}
	if err := c.requireLogin(); err != nil {
		return nil, err
	}
	return t, nil
}

func (c *conn) login(_ context.Context, a *tg.CassandraLoginArgs) (thrift.TStruct, error) {
	r := &tg.CassandraLoginResult{}
	var creds map[string]string
	if a.AuthRequest != nil {
		creds = a.AuthRequest.Credentials
	}
	user, err := c.srv.cfg.Authenticator.Authenticate(creds)
	if err != nil {
		r.Authnx = &tg.AuthenticationException{Why: err.Error()}
		return r, nil
	}
	c.sess.user = user
	return r, nil
}

func (c *conn) setKeyspace(_ context.Context, a *tg.CassandraSetKeyspaceArgs) (thrift.TStruct, error) {
	r := &tg.CassandraSetKeyspaceResult{}
	// ClientState.setKeyspace checks existence only once a user is set,
	// so before login (with authentication on) any name is taken.
	if c.sess.user != "" && c.srv.node.schema.Current().Keyspace(a.Keyspace) == nil {
		r.Ire = iref("Keyspace '%s' does not exist", a.Keyspace)
		return r, nil
	}
	c.sess.keyspace = a.Keyspace
	return r, nil
}

func (c *conn) describeSchemaVersions(context.Context, *tg.CassandraDescribeSchemaVersionsArgs) (thrift.TStruct, error) {
	v := c.srv.node.schema.Current().Version()
	return &tg.CassandraDescribeSchemaVersionsResult{Success: map[string][]string{v: {localEndpoint}}}, nil
}

func (c *conn) describeKeyspaces(context.Context, *tg.CassandraDescribeKeyspacesArgs) (thrift.TStruct, error) {
	r := &tg.CassandraDescribeKeyspacesResult{}
	if err := c.requireLogin(); err != nil {
		return r, declare(err, &r.Ire)
	}
	r.Success = c.srv.node.schema.Current().Describe()
	return r, nil
}

func (c *conn) describeClusterName(context.Context, *tg.CassandraDescribeClusterNameArgs) (thrift.TStruct, error) {
	name := c.srv.cfg.ClusterName
	return &tg.CassandraDescribeClusterNameResult{Success: &name}, nil
}

func (c *conn) describeVersion(context.Context, *tg.CassandraDescribeVersionArgs) (thrift.TStruct, error) {
	v := Version
	return &tg.CassandraDescribeVersionResult{Success: &v}, nil
}

func (c *conn) describePartitioner(context.Context, *tg.CassandraDescribePartitionerArgs) (thrift.TStruct, error) {
	p := c.srv.node.part.Class()
	return &tg.CassandraDescribePartitionerResult{Success: &p}, nil
}

func (c *conn) describeSnitch(context.Context, *tg.CassandraDescribeSnitchArgs) (thrift.TStruct, error) {
	s := Snitch
	return &tg.CassandraDescribeSnitchResult{Success: &s}, nil
}

func (c *conn) describeKeyspace(_ context.Context, a *tg.CassandraDescribeKeyspaceArgs) (thrift.TStruct, error) {
	r := &tg.CassandraDescribeKeyspaceResult{}
	if err := c.requireLogin(); err != nil {
		return r, declare(err, &r.Ire)
	}
	k := c.srv.node.schema.Current().Keyspace(a.Keyspace)
	if k == nil {
		r.Nfe = tg.NewNotFoundException()
		return r, nil
	}
	r.Success = k.Def()
	return r, nil
}

// ring builds describe_ring's answer: one TokenRange (t[i-1], t[i]] per
// token, all owned by this node. With one token T the single range is
// (T, T], the whole ring.
func (c *conn) ring(ks string) ([]*tg.TokenRange, error) {
	k := c.srv.node.schema.Current().Keyspace(ks)
	if k == nil {
		return nil, iref("No such keyspace: %s", ks)
	}
	if !k.HasRing() {
		return nil, iref("There is no ring for the keyspace: %s", ks)
	}
	toks := c.srv.node.tokens
	out := make([]*tg.TokenRange, len(toks))
	replicated := k.LocalReplicationFactor() > 0
	for i, t := range toks {
		prev := toks[(i+len(toks)-1)%len(toks)]
		tr := &tg.TokenRange{
			StartToken:      prev.String(),
			EndToken:        t.String(),
			Endpoints:       []string{},
			RPCEndpoints:    []string{},
			EndpointDetails: []*tg.EndpointDetails{},
		}
		if replicated {
			rack := localRack
			tr.Endpoints = []string{localEndpoint}
			tr.RPCEndpoints = []string{localEndpoint}
			tr.EndpointDetails = []*tg.EndpointDetails{{Host: localEndpoint, Datacenter: schema.LocalDatacenter, Rack: &rack}}
		}
		out[i] = tr
	}
	return out, nil
}

func (c *conn) describeRing(_ context.Context, a *tg.CassandraDescribeRingArgs) (thrift.TStruct, error) {
	r := &tg.CassandraDescribeRingResult{}
	v, err := c.ring(a.Keyspace)
	r.Success = v
	return r, declare(err, &r.Ire)
}

func (c *conn) describeLocalRing(_ context.Context, a *tg.CassandraDescribeLocalRingArgs) (thrift.TStruct, error) {
	r := &tg.CassandraDescribeLocalRingResult{}
	v, err := c.ring(a.Keyspace) // one node, one datacenter: the same ring
	r.Success = v
	return r, declare(err, &r.Ire)
}

func (c *conn) describeTokenMap(context.Context, *tg.CassandraDescribeTokenMapArgs) (thrift.TStruct, error) {
	m := make(map[string]string, len(c.srv.node.tokens))
	for _, t := range c.srv.node.tokens {
		m[t.String()] = localEndpoint
	}
	return &tg.CassandraDescribeTokenMapResult{Success: m}, nil
}

func (c *conn) traceNextQuery(context.Context, *tg.CassandraTraceNextQueryArgs) (thrift.TStruct, error) {
	id, err := uuid.NewUUID()
	if err != nil {
		return nil, err
	}
	// Tracing itself is a no-op: there is no system_traces data to read.
	return &tg.CassandraTraceNextQueryResult{Success: id[:]}, nil
}

func (c *conn) executeCqlQuery(context.Context, *tg.CassandraExecuteCqlQueryArgs) (thrift.TStruct, error) {
	return &tg.CassandraExecuteCqlQueryResult{Ire: ire(msgCQL2)}, nil
}

func (c *conn) prepareCqlQuery(context.Context, *tg.CassandraPrepareCqlQueryArgs) (thrift.TStruct, error) {
	return &tg.CassandraPrepareCqlQueryResult{Ire: ire(msgCQL2)}, nil
}

func (c *conn) executePreparedCqlQuery(context.Context, *tg.CassandraExecutePreparedCqlQueryArgs) (thrift.TStruct, error) {
	return &tg.CassandraExecutePreparedCqlQueryResult{Ire: ire(msgCQL2)}, nil
}

func (c *conn) executeCql3Query(context.Context, *tg.CassandraExecuteCql3QueryArgs) (thrift.TStruct, error) {
	return &tg.CassandraExecuteCql3QueryResult{Ire: ire(msgNoCQL3)}, nil
}

func (c *conn) prepareCql3Query(context.Context, *tg.CassandraPrepareCql3QueryArgs) (thrift.TStruct, error) {
	return &tg.CassandraPrepareCql3QueryResult{Ire: ire(msgNoCQL3)}, nil
}

func (c *conn) executePreparedCql3Query(context.Context, *tg.CassandraExecutePreparedCql3QueryArgs) (thrift.TStruct, error) {
	return &tg.CassandraExecutePreparedCql3QueryResult{Ire: ire(msgNoCQL3)}, nil
}

// setCqlVersion is a no-op, as in Cassandra 3.x.
func (c *conn) setCqlVersion(context.Context, *tg.CassandraSetCqlVersionArgs) (thrift.TStruct, error) {
	return &tg.CassandraSetCqlVersionResult{}, nil
}
