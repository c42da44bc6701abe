package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/containerd/ttrpc"
)

// runBench measures otklik.v1.Admin/Health round trips with containerd's ttrpc client against any
// server that answers it (our daemon or the Go server of runServer): sequential on one connection,
// then `connections` connections at once (a goroutine each). Prints p50/p99 and calls per second.
// A benchmark: it asserts nothing.
func runBench(socket string, calls int, connections int) {
	dial := func() *ttrpc.Client {
		conn, err := net.Dial("unix", socket)
		if err != nil {
			fail("dial: %v", err)
		}
		return ttrpc.NewClient(conn)
	}
	measure := func(client *ttrpc.Client, n int) []time.Duration {
		samples := make([]time.Duration, 0, n)
		for i := 0; i < n; i++ {
			var health HealthResponse
			start := time.Now()
			if err := client.Call(context.Background(), "otklik.v1.Admin", "Health", &HealthRequest{}, &health); err != nil {
				fail("Health: %v", err)
			}
			samples = append(samples, time.Since(start))
		}
		return samples
	}
	report := func(label string, samples []time.Duration, elapsed time.Duration) {
		sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
		p50 := samples[len(samples)/2]
		p99 := samples[len(samples)*99/100]
		fmt.Printf("%s p50_us=%.1f p99_us=%.1f per_second=%.0f calls=%d\n", label,
			float64(p50.Nanoseconds())/1000, float64(p99.Nanoseconds())/1000,
			float64(len(samples))/elapsed.Seconds(), len(samples))
	}
	one := dial()
	measure(one, 2000)
	start := time.Now()
	sequential := measure(one, calls)
	report("go-client sequential 1 connection", sequential, time.Since(start))
	one.Close()

	clients := make([]*ttrpc.Client, connections)
	for i := range clients {
		clients[i] = dial()
		measure(clients[i], 200)
	}
	per := calls / connections
	var mutex sync.Mutex
	var all []time.Duration
	var group sync.WaitGroup
	start = time.Now()
	for _, client := range clients {
		group.Add(1)
		go func(client *ttrpc.Client) {
			defer group.Done()
			samples := measure(client, per)
			mutex.Lock()
			all = append(all, samples...)
			mutex.Unlock()
		}(client)
	}
	group.Wait()
	report("go-client concurrent "+strconv.Itoa(connections)+" connections", all, time.Since(start))
	for _, client := range clients {
		client.Close()
	}
}

func benchArguments(args []string) (int, int) {
	calls, connections := 100000, 8
	if len(args) > 0 {
		if n, err := strconv.Atoi(args[0]); err == nil {
			calls = n
		}
	}
	if len(args) > 1 {
		if n, err := strconv.Atoi(args[1]); err == nil {
			connections = n
		}
	}
	if calls < connections || connections < 1 {
		fmt.Fprintln(os.Stderr, "usage: peer bench SOCKET [CALLS] [CONNECTIONS]")
		os.Exit(2)
	}
	return calls, connections
}
