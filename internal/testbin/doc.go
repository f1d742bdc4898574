// Package testbin builds a Go program once per test binary, for tests
// that need it as a real process (exit statuses, signals, a crash):
//
//	var cassa = testbin.Binary{Package: "github.com/cassa-go/cassa/cmd/cassa"}
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		cassa.Remove()
//		os.Exit(code)
//	}
//
//	func TestExitStatus(t *testing.T) {
//		cmd := exec.Command(cassa.Path(t), "--help")
//		...
//	}
package testbin
