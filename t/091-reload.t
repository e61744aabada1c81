# Reloads under load: "nginx -s reload" (HUP) with changed JS serves the
# new code from new workers, old workers finish what they hold and exit,
# and no request fails, as with stock nginx doing the same reloads.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use IO::Socket::INET;
use POSIX ();
use Time::HiRes qw(sleep time);

# thousands of requests a second at debug level would fill the log
$ENV{TEST_NGINX_LOG_LEVEL} = 'notice';

require_module();

my $CLIENTS = 4;
my $RELOADS = 5;

# $CLIENTS processes send requests (a new connection each) until told to
# stop; each writes "ok <n>", "failed <n>" and the versions it saw.
sub load_start {
    my ($path) = @_;
    my @kids;
    for my $i (1 .. $CLIENTS) {
        my $out = prefix_dir() . "/load-$i.out";
        my $pid = fork();
        die "fork: $!" unless defined $pid;
        if (!$pid) {
            my ($ok, $failed, %seen) = (0, 0);
            my $stop = 0;
            local $SIG{TERM} = sub { $stop = 1 };
            while (!$stop) {
                my ($st, undef, $body) = http_request('GET', $path, timeout => 5);
                if (defined $st && $st == 200) {
                    $ok++;
                    $seen{$body}++;
                } elsif (!$stop) {
                    $failed++;
                }
            }
            open my $fh, '>', $out or POSIX::_exit(1);
            print $fh "ok $ok\nfailed $failed\n";
            print $fh "seen $_\n" for sort keys %seen;
            close $fh;
            POSIX::_exit(0);
        }
        push @kids, [$pid, $out];
    }
    return \@kids;
}

sub load_stop {
    my ($kids) = @_;
    my ($ok, $failed, %seen) = (0, 0);
    for my $k (@$kids) {
        kill 'TERM', $k->[0];
        waitpid($k->[0], 0);
        open my $fh, '<', $k->[1] or next;
        while (<$fh>) {
            $ok += $1 if /^ok (\d+)/;
            $failed += $1 if /^failed (\d+)/;
            $seen{$1} = 1 if /^seen (.*)/;
        }
    }
    return ($ok, $failed, \%seen);
}

sub js { my ($v) = @_; return "export default (req, res) => res.end('v$v');\n" }

# ---- nv8: the JS changes with every reload ------------------------------
my %nv8;
{
    ok(start_nginx({workers => 2, config => 'location / { js_handler app.js; }'},
                   'app.js' => js(0)), 'nv8: start') or diag(last_start_output());
    my $off = log_offset();
    my $kids = load_start('/');
    sleep 0.5;
    my $reloaded = 0;
    for my $v (1 .. $RELOADS) {
        $reloaded++ if reload_nginx(files => { 'app.js' => js($v) }, wait_old => 0);
        sleep 0.4;
    }
    sleep 0.5;
    my ($ok, $failed, $seen) = load_stop($kids);
    is($reloaded, $RELOADS, "nv8: $RELOADS reloads done");
    cmp_ok($ok, '>', 100, "nv8: requests served under load ($ok)");
    is($failed, 0, 'nv8: no request failed across the reloads');
    ok($seen->{'v0'} && $seen->{"v$RELOADS"}, 'nv8: old and new code both served');
    my ($st, undef, $body) = http_request('GET', '/');
    is("$st $body", "200 v$RELOADS", 'nv8: the last code is what runs now');
    # old workers exit once they are done
    my $deadline = time + 10;
    sleep 0.1 while time < $deadline && scalar(worker_pids()) > 2;
    is(scalar(worker_pids()), 2, 'nv8: old workers are gone');
    check_error_log('nv8 reloads', $off);
    %nv8 = (ok => $ok, failed => $failed);
}

# ---- stock nginx, the same reloads --------------------------------------
{
    ok(start_nginx({workers => 2, no_module => 1,
                    config => 'location / { return 200 "v0"; }'}), 'stock: start')
        or diag(last_start_output());
    my $kids = load_start('/');
    sleep 0.5;
    for my $v (1 .. $RELOADS) {
        reload_nginx(conf => {workers => 2, no_module => 1,
                              config => "location / { return 200 \"v$v\"; }"},
                     wait_old => 0);
        sleep 0.4;
    }
    sleep 0.5;
    my ($ok, $failed) = load_stop($kids);
    cmp_ok($ok, '>', 100, "stock: requests served under load ($ok)");
    cmp_ok($nv8{failed}, '<=', $failed,
           "nv8 loses no more requests than stock nginx ($nv8{failed} vs $failed)");
}
