//go:build race

package migrate

// raceEnabled: the race detector slows the server and the clients down
// several times over, so the largest move test copies fewer rows.
const raceEnabled = true
