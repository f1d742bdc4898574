package validate

import (
	"sort"

	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// knownCL reports whether cl is one of the eleven Thrift levels.
func knownCL(cl thriftgen.ConsistencyLevel) bool {
	return cl >= thriftgen.ConsistencyLevel_ONE && cl <= thriftgen.ConsistencyLevel_LOCAL_ONE
}

// checkKnownCL answers a level outside the IDL enum. Java maps it to null
// and fails with a protocol error or a dropped connection; the emulator
// answers an InvalidRequestException (a deliberate deviation).
func checkKnownCL(cl thriftgen.ConsistencyLevel) *thriftgen.InvalidRequestException {
	if !knownCL(cl) {
		return invalidf("Invalid consistency level %d", int64(cl))
	}
	return nil
}

// IsSerial reports whether cl is SERIAL or LOCAL_SERIAL.
func IsSerial(cl thriftgen.ConsistencyLevel) bool {
	return cl == thriftgen.ConsistencyLevel_SERIAL || cl == thriftgen.ConsistencyLevel_LOCAL_SERIAL
}

// CheckReadCL is ConsistencyLevel.validateForRead (3.11): ANY is
// write-only. EACH_QUORUM reads are allowed from 3.0 on (2.2 refused
// them).
func CheckReadCL(cl thriftgen.ConsistencyLevel) *thriftgen.InvalidRequestException {
	if cl == thriftgen.ConsistencyLevel_ANY {
		return Invalid("ANY ConsistencyLevel is only supported for writes")
	}
	return checkKnownCL(cl)
}

// CheckWriteCL is ConsistencyLevel.validateForWrite: the serial levels are
// for cas only.
func CheckWriteCL(cl thriftgen.ConsistencyLevel) *thriftgen.InvalidRequestException {
	if IsSerial(cl) {
		return Invalid("You must use conditional updates for serializable writes")
	}
	return checkKnownCL(cl)
}

// CheckCounterWriteCL is ConsistencyLevel.validateCounterForWrite: no ANY
// and no serial level for counter writes.
func CheckCounterWriteCL(t *schema.Table, cl thriftgen.ConsistencyLevel) *thriftgen.InvalidRequestException {
	if cl == thriftgen.ConsistencyLevel_ANY {
		return invalidf("Consistency level ANY is not yet supported for counter table %s", t.Name)
	}
	if IsSerial(cl) {
		return Invalid("Counter operations are inherently non-serializable")
	}
	return checkKnownCL(cl)
}

// CheckSerialCL is ConsistencyLevel.validateForCas, for cas's
// serial_consistency_level.
func CheckSerialCL(cl thriftgen.ConsistencyLevel) *thriftgen.InvalidRequestException {
	if !IsSerial(cl) {
		return Invalid("Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL")
	}
	return nil
}

// CheckCommitCL is ConsistencyLevel.validateForCasCommit, for cas's
// commit_consistency_level: not serial, and EACH_QUORUM only with
// NetworkTopologyStrategy.
func CheckCommitCL(ks *schema.Keyspace, cl thriftgen.ConsistencyLevel) *thriftgen.InvalidRequestException {
	switch {
	case IsSerial(cl):
		return invalidf("%s is not supported as conditional update commit consistency. "+
			"Use ANY if you mean \"make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads\"", cl)
	case cl == thriftgen.ConsistencyLevel_EACH_QUORUM && ks != nil && ks.StrategyClass != schema.NetworkTopologyStrategy:
		return invalidf("consistency level %s not compatible with replication strategy (%s)", cl, ks.StrategyClass)
	}
	return checkKnownCL(cl)
}

// BlockFor is ConsistencyLevel.blockFor: how many replicas cl waits for in
// keyspace ks. SERIAL counts as QUORUM and LOCAL_SERIAL as LOCAL_QUORUM,
// the levels Paxos reads and commits at. ANY needs one, always satisfied.
func BlockFor(ks *schema.Keyspace, cl thriftgen.ConsistencyLevel) int {
	switch cl {
	case thriftgen.ConsistencyLevel_TWO:
		return 2
	case thriftgen.ConsistencyLevel_THREE:
		return 3
	case thriftgen.ConsistencyLevel_QUORUM, thriftgen.ConsistencyLevel_SERIAL:
		return ks.ReplicationFactor()/2 + 1
	case thriftgen.ConsistencyLevel_ALL:
		return ks.ReplicationFactor()
	case thriftgen.ConsistencyLevel_LOCAL_QUORUM, thriftgen.ConsistencyLevel_LOCAL_SERIAL:
		return localQuorum(ks, schema.LocalDatacenter)
	case thriftgen.ConsistencyLevel_EACH_QUORUM:
		if ks.StrategyClass != schema.NetworkTopologyStrategy {
			return ks.ReplicationFactor()/2 + 1
		}
		n := 0
		for _, dc := range sortedDCs(ks) {
			n += localQuorum(ks, dc)
		}
		return n
	default: // ONE, LOCAL_ONE, ANY
		return 1
	}
}

// localQuorum is localQuorumFor: a quorum of one datacenter's replicas
// under NetworkTopologyStrategy, the plain quorum otherwise.
func localQuorum(ks *schema.Keyspace, dc string) int {
	if ks.StrategyClass != schema.NetworkTopologyStrategy {
		return ks.ReplicationFactor()/2 + 1
	}
	return ks.DatacenterReplicationFactors()[dc]/2 + 1
}

// LiveReplicas is the number of live replicas of any row of ks on this
// single node: 1 when the strategy places a replica here (SimpleStrategy
// RF >= 1, NetworkTopologyStrategy with datacenter1 >= 1, LocalStrategy),
// else 0.
func LiveReplicas(ks *schema.Keyspace) int {
	if ks.LocalReplicationFactor() >= 1 {
		return 1
	}
	return 0
}

// Available is ConsistencyLevel.assureSufficientLiveNodes on one node: nil
// when cl can be met in ks, otherwise an *UnavailableError. ANY is always
// met (a hint on the coordinator counts). EACH_QUORUM under
// NetworkTopologyStrategy needs a quorum in every listed datacenter, which
// fails as soon as a datacenter other than datacenter1 is listed.
func Available(ks *schema.Keyspace, cl thriftgen.ConsistencyLevel) error {
	if ks == nil || cl == thriftgen.ConsistencyLevel_ANY {
		return nil
	}
	live := LiveReplicas(ks)
	if cl == thriftgen.ConsistencyLevel_EACH_QUORUM && ks.StrategyClass == schema.NetworkTopologyStrategy {
		for _, dc := range sortedDCs(ks) {
			dcLive := 0
			if dc == schema.LocalDatacenter {
				dcLive = live
			}
			if need := localQuorum(ks, dc); dcLive < need {
				return &UnavailableError{CL: cl, Required: need, Alive: dcLive}
			}
		}
		return nil
	}
	if need := BlockFor(ks, cl); live < need {
		return &UnavailableError{CL: cl, Required: need, Alive: live}
	}
	return nil
}

// sortedDCs lists the datacenters of ks in name order, so that the first
// failing one is always the same.
func sortedDCs(ks *schema.Keyspace) []string {
	rfs := ks.DatacenterReplicationFactors()
	out := make([]string, 0, len(rfs))
	for dc := range rfs {
		out = append(out, dc)
	}
	sort.Strings(out)
	return out
}
