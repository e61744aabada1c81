# js_fs_root: node:fs opens files only beneath the configured roots, by
# openat2(RESOLVE_BENEATH): "..", absolute paths elsewhere, symlinks out of
# the root (absolute or relative) and a symlink swapped in while JS reads
# are all refused with EACCES; what is inside stays reachable.  Without
# the directive, the roots are the directories of the configured scripts;
# "js_fs_root off" lifts them.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use POSIX ();
use Time::HiRes qw(sleep time);

require_module();

my $p = prefix_dir();

write_file('data/ok.txt', 'inside');
write_file('data/sub/deep.txt', 'deep inside');
write_file('secret.txt', 'SECRET');
write_file('data/race-in.txt', 'inside');
symlink('../secret.txt', "$p/data/link-out") or die "symlink: $!";
symlink('ok.txt', "$p/data/link-in") or die "symlink: $!";
symlink("$p/data/ok.txt", "$p/data/link-abs") or die "symlink: $!";
symlink('/etc/hostname', "$p/data/link-etc") or die "symlink: $!";
symlink('sub', "$p/data/dir-in") or die "symlink: $!";

my $app = <<'EOF';
import { readFile, stat, lstat } from 'node:fs/promises';

export default async function (req, res) {
    const q = new URLSearchParams(req.url.split('?')[1] ?? '');
    const path = q.get('p');
    const op = q.get('op') ?? 'read';
    try {
        if (op === 'read') {
            res.end('read ' + await readFile(path, 'utf8'));
        } else if (op === 'stat') {
            const st = await stat(path);
            res.end(`stat ${st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other'}`);
        } else if (op === 'lstat') {
            const st = await lstat(path);
            res.end(`lstat ${st.isSymbolicLink() ? 'link' : st.isFile() ? 'file' : 'other'}`);
        } else if (op === 'race') {
            let secret = 0, ok = 0, refused = 0;
            for (let i = 0; i < Number(q.get('n')); i++) {
                try {
                    const s = await readFile(path, 'utf8');
                    if (s.includes('SECRET')) secret++; else ok++;
                } catch (e) {
                    refused++;
                }
            }
            res.end(`race secret=${secret} ok=${ok} refused=${refused > 0}`);
        }
    } catch (e) {
        res.end(`${e.code} ${e.syscall}`);
    }
}
EOF

ok(start_nginx({workers => 1, http_config => 'js_fs_root data;',
                config => 'location / { js_handler app.js; }'},
               'app.js' => $app), 'start') or diag(last_start_output());

sub get {
    my ($op, $path) = @_;
    my $enc = $path;
    $enc =~ s/([^A-Za-z0-9\/._-])/sprintf('%%%02X', ord $1)/ge;
    my (undef, undef, $body) = http_request('GET', "/?op=$op&p=$enc");
    return $body;
}

my $off = log_offset();

is(get('read', "$p/data/ok.txt"), 'read inside', 'a file in the root');
is(get('read', "$p/data/sub/deep.txt"), 'read deep inside', 'a file deeper in the root');
is(get('read', "$p/data/link-in"), 'read inside', 'a relative symlink that stays inside');
is(get('read', "$p/data/dir-in/deep.txt"), 'read deep inside', 'a directory symlink that stays inside');
is(get('stat', "$p/data"), 'stat dir', 'the root itself');
is(get('lstat', "$p/data/link-out"), 'lstat link', 'lstat of a link that points out is fine: it is inside');

is(get('read', "$p/secret.txt"), 'EACCES open', 'a file outside the root');
is(get('read', "$p/data/../secret.txt"), 'EACCES open', '".." out of the root');
is(get('read', "$p/data/sub/../../secret.txt"), 'EACCES open', 'deeper ".." out of the root');
is(get('read', '/etc/hostname'), 'EACCES open', 'an absolute path elsewhere');
is(get('read', "$p/data/link-out"), 'EACCES open', 'a relative symlink out of the root');
is(get('read', "$p/data/link-etc"), 'EACCES open', 'an absolute symlink out of the root');
is(get('read', "$p/data/link-abs"), 'EACCES open',
   'an absolute symlink, even to inside (RESOLVE_BENEATH refuses them)');
is(get('stat', "$p/data/link-out"), 'EACCES stat', 'stat follows links only inside');
is(get('read', "$p/data2/x"), 'EACCES open', 'a sibling with the root as a string prefix');
is(get('read', 'data/ok.txt'), 'EACCES open',
   'a relative path resolves against the working directory, not the root');

# A symlink race: a child swaps data/race between a file inside and a
# symlink out while JS reads it in a loop; the secret never comes back.
{
    my $race = "$p/data/race";
    my $kid = fork();
    die "fork: $!" unless defined $kid;
    if (!$kid) {
        my $end = time + 8;
        while (time < $end) {
            unlink "$race.tmp";
            symlink('../secret.txt', "$race.tmp");
            rename("$race.tmp", $race);
            unlink "$race.tmp";
            link("$p/data/race-in.txt", "$race.tmp");
            rename("$race.tmp", $race);
        }
        POSIX::_exit(0);
    }
    sleep 0.2;
    my (undef, undef, $body) = http_request('GET', '/?op=race&n=3000&p=' . $race,
                                            timeout => 60);
    kill 'KILL', $kid;
    waitpid($kid, 0);
    like($body, qr/^race secret=0 ok=\d+ refused=true$/,
         "symlink race: never the secret ($body)");
}

check_error_log('fs roots', $off);

# Without js_fs_root, the roots are the directories of the scripts the
# directives name: here app/ (js_handler; app/sub/ is inside it) and lib/
# (js_access_handler);
# the prefix above them, and everything else, is out.
{
    write_file('app/data/in.txt', 'app data');
    write_file('lib/in.txt', 'lib data');
    write_file('app2/x.txt', 'sibling');
    my $access = "export default function () {}\n";
    my $msg = <<'EOF';
import { readFileSync } from 'node:fs';

export default function (req, res) {
    const path = decodeURIComponent(req.url.split('?p=')[1]);
    try {
        readFileSync(path);
        res.end('read');
    } catch (e) {
        res.end(`${e.name} ${e.code} ${e.errno} ${e.syscall} ${e.path === path} ${e.message}`);
    }
}
EOF
    ok(start_nginx({workers => 1,
                    config => 'location / { js_handler app/app.js; }
                               location /msg { js_handler app/msg.js; }
                               location /lib { js_access_handler lib/access.js;
                                               js_handler app/app.js; }
                               location /sub { js_handler app/sub/app.js; }'},
                   'app/app.js' => $app, 'app/msg.js' => $msg,
                   'app/sub/app.js' => $app,
                   'lib/access.js' => $access),
       'start: default roots') or diag(last_start_output());
    my $o = log_offset();
    is(get('read', "$p/app/data/in.txt"), 'read app data', 'default: beneath the script\'s directory');
    is(get('stat', "$p/app"), 'stat dir', 'default: the script\'s directory itself');
    is(get('read', "$p/lib/in.txt"), 'read lib data', 'default: another directive\'s script directory too');
    is(get('read', "$p/secret.txt"), 'EACCES open', 'default: the directory above is out');
    is(get('read', "$p/app/../secret.txt"), 'EACCES open', 'default: ".." out of the script\'s directory');
    is(get('read', "$p/app/data/../../secret.txt"), 'EACCES open', 'default: deeper ".." out');
    is(get('read', "$p/app/sub/../data/in.txt"), 'read app data',
       'default: a script directory beneath another adds no root of its own');
    is(get('read', "$p/app2/x.txt"), 'EACCES open', 'default: a sibling with the directory as a string prefix');
    is(get('read', '/etc/hostname'), 'EACCES open', 'default: an absolute path elsewhere');
    my (undef, undef, $body) = http_request('GET', "/msg?p=$p/secret.txt");
    is($body, "Error EACCES -13 open true EACCES: permission denied, open '$p/secret.txt'",
       "default: Node's error, code, errno, syscall, path and message");
    check_error_log('fs default roots', $o);
}

# js_fs_root off: node:fs reaches any path the worker's user may, as in Node.
{
    ok(start_nginx({workers => 1, http_config => 'js_fs_root off;',
                    config => 'location / { js_handler app/app.js; }'},
                   'app/app.js' => $app), 'start: js_fs_root off') or diag(last_start_output());
    is(get('read', "$p/secret.txt"), 'read SECRET', 'js_fs_root off: anywhere');
}

# "off" stands alone.
{
    my ($rc, $out) = nginx_test_config({http_config => "js_fs_root /tmp;\njs_fs_root off;",
                                        config => 'location / { js_handler app.js; }'},
                                       'app.js' => $app);
    isnt($rc, 0, 'js_fs_root off after directories: nginx -t fails');
    like($out, qr/"js_fs_root off" conflicts with the directories named before/, 'and says why');
    ($rc, $out) = nginx_test_config({http_config => "js_fs_root off;\njs_fs_root /tmp;",
                                     config => 'location / { js_handler app.js; }'},
                                    'app.js' => $app);
    isnt($rc, 0, 'js_fs_root after off: nginx -t fails');
    like($out, qr/"js_fs_root" directive is duplicate/, 'and says why');
}

# A root that is not a directory is refused at configuration time.
{
    my ($rc, $out) = nginx_test_config({http_config => 'js_fs_root /nonexistent/dir;',
                                        config => 'location / { js_handler app.js; }'},
                                       'app.js' => $app);
    isnt($rc, 0, 'js_fs_root /nonexistent/dir: nginx -t fails');
    like($out, qr/js_fs_root "\/nonexistent\/dir" is not a directory/, 'and says why');
}
