
/*
 * Copyright (C) nv8 contributors
 *
 * The C++ shim: the only file that touches V8's API.  It translates between
 * V8 and the C API in nv8.h; it decides nothing about HTTP, files or
 * modules' resolution (that is C in nv8_*.c and JS in lib/).
 *
 * Every extern "C" entry point opens an Isolate::Scope, a HandleScope and a
 * Context::Scope itself unless it says otherwise.
 */


#include <v8.h>
#include <libplatform/libplatform.h>

#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "nv8_internal.h"


namespace nv8 {

using v8::Array;
using v8::ArrayBuffer;
using v8::ArrayBufferView;
using v8::BackingStore;
using v8::Context;
using v8::EscapableHandleScope;
using v8::Exception;
using v8::External;
using v8::FixedArray;
using v8::Float64Array;
using v8::StackFrame;
using v8::StackTrace;
using v8::Function;
using v8::FunctionCallbackInfo;
using v8::FunctionTemplate;
using v8::Global;
using v8::HandleScope;
using v8::HeapStatistics;
using v8::Integer;
using v8::Isolate;
using v8::Local;
using v8::Location;
using v8::Maybe;
using v8::MaybeLocal;
using v8::Message;
using v8::Module;
using v8::ModuleRequest;
using v8::NewStringType;
using v8::Number;
using v8::Object;
using v8::Private;
using v8::Promise;
using v8::PromiseRejectMessage;
using v8::ScriptCompiler;
using v8::ScriptOrigin;
using v8::SharedArrayBuffer;
using v8::String;
using v8::TryCatch;
using v8::Uint8Array;
using v8::Value;
using v8::ValueDeserializer;
using v8::ValueSerializer;


static std::unique_ptr<v8::Platform>  platform;


/* for results that cannot matter: an exception is already pending */
static inline void
Ignore(v8::Maybe<bool>)
{
}


struct ModuleRec {
    Global<Module>            module;
    std::string               key;
    int                       hash;
    /* specifier -> key, resolved once while fetching */
    std::unordered_map<std::string, std::string>  deps;
    /* a synthetic module's export names (CommonJS, JSON) */
    std::vector<std::string>  names;
};


/* an object watched by nv8_arg_weak() */
struct Weak {
    Global<Object>            handle;
    void                    (*gone)(void *data, int collected);
    void                     *data;
    struct Runtime           *runtime;
};


struct Rejection {
    Global<Promise>           promise;
    Global<Value>             reason;
    double                    context;
    std::string               where;    /* "file:line:col" of a non-Error */
};


struct Runtime;


/* a native object (nv8_return_object()): weak, so V8 may collect it */
struct Native {
    Global<Object>            object;
    const nv8_class_t        *cls;
    void                     *data;
    size_t                    external;
    Runtime                  *r;
};


struct Runtime {
    nv8_runtime_t            *rt;
    Isolate                  *isolate;
    ArrayBuffer::Allocator   *allocator;
    Global<Context>           context;
    Global<Function>          hooks[NV8_HOOK_MAX];
    Global<Function>          binding_fn;
    std::unordered_map<std::string, Global<Object>>  bindings;
    std::unordered_map<std::string, ModuleRec *>     modules;
    std::vector<Rejection>    rejections;
    Global<Private>           where_key;    /* a promise's Rejection::where */
    Global<Value>             fetch_error;  /* the exception behind the
                                               last FetchTree() or
                                               instantiation error */
    Global<FunctionTemplate>  native_tmpl;  /* native objects' class */
    std::unordered_set<Native *>  natives;  /* alive, finalized at the
                                               latest by destroy */
    int                       depth;
    bool                      terminating;  /* a limit stopped this run */
    bool                      heap_hit;     /* near the heap limit */
    uint64_t                  runs;         /* outermost runs of JS */
    uint64_t                  full_run;     /* the run of full_hits */
    unsigned                  full_hits;    /* full GCs that left it full */
    unsigned                  cache_used;   /* builtins from the code cache */
    unsigned                  cache_refused;
    std::unordered_set<struct Weak *>  weak;  /* nv8_arg_weak() */
    std::string               terminated;   /* why, for the error */
    double                    terminated_ctx;
};


/* ArrayBuffer memory within a limit: past it, allocations fail and JS
 * gets V8's RangeError; backing stores freed on GC threads count down */
class LimitedAllocator : public ArrayBuffer::Allocator {
public:
    LimitedAllocator(size_t max)
        : base_(ArrayBuffer::Allocator::NewDefaultAllocator()), max_(max),
          used_(0) {}
    ~LimitedAllocator() override { delete base_; }

    void *Allocate(size_t n) override {
        return Take(n) ? Keep(base_->Allocate(n), n) : nullptr;
    }

    void *AllocateUninitialized(size_t n) override {
        return Take(n) ? Keep(base_->AllocateUninitialized(n), n) : nullptr;
    }

    void Free(void *data, size_t n) override {
        base_->Free(data, n);
        used_.fetch_sub(n, std::memory_order_relaxed);
    }

private:
    bool Take(size_t n) {
        size_t  used = used_.fetch_add(n, std::memory_order_relaxed);

        if (max_ != 0 && used + n > max_) {
            used_.fetch_sub(n, std::memory_order_relaxed);
            return false;
        }

        return true;
    }

    void *Keep(void *p, size_t n) {
        if (p == nullptr) {
            used_.fetch_sub(n, std::memory_order_relaxed);
        }

        return p;
    }

    ArrayBuffer::Allocator   *base_;
    size_t                    max_;
    std::atomic<size_t>       used_;
};


/*
 * Every outermost run of JS goes between Enter() and Leave(): the CPU
 * watchdog times it, and a run a limit terminated has the termination
 * cancelled before any other JS runs.
 */

static inline void
Enter(Runtime *r)
{
    if (r->depth++ == 0) {
        r->runs++;

        if (r->rt->watchdog != nullptr) {
            nv8__watchdog_enter(r->rt->watchdog);
        }
    }
}


static inline void
Leave(Runtime *r, bool report = true)
{
    if (--r->depth != 0) {
        return;
    }

    if (r->rt->watchdog != nullptr) {
        nv8__watchdog_leave(r->rt->watchdog);
    }

    if (!r->terminating) {
        return;
    }

    r->terminating = false;
    r->isolate->CancelTerminateExecution();

    /* a hook call's caller reports it; for other runs, the host */
    if (report && r->rt->host.terminated != nullptr) {
        r->rt->host.terminated(r->rt->host.data, r->terminated_ctx,
                               r->terminated.data(), r->terminated.size());
    }
}


class StaticOneByte : public String::ExternalOneByteStringResource {
public:
    StaticOneByte(const char *data, size_t len) : data_(data), len_(len) {}
    const char *data() const override { return data_; }
    size_t length() const override { return len_; }
    void Dispose() override { delete this; }

private:
    const char               *data_;
    size_t                    len_;
};


static inline Runtime *
Get(nv8_runtime_t *rt)
{
    return static_cast<Runtime *>(rt->v8);
}


static Local<String>
Str(Isolate *isolate, const char *s, size_t len)
{
    /* cannot fail: lengths here are far below String::kMaxLength */
    return String::NewFromUtf8(isolate, s, NewStringType::kNormal,
                               (int) len).ToLocalChecked();
}


static Local<String>
Str(Isolate *isolate, const std::string &s)
{
    return Str(isolate, s.data(), s.size());
}


static Local<String>
OneByte(Isolate *isolate, const char *s, size_t len)
{
    /* cannot fail: lengths here are far below String::kMaxLength */
    return String::NewFromOneByte(isolate, (const uint8_t *) s,
                                  NewStringType::kNormal, (int) len)
           .ToLocalChecked();
}


static std::string
ToStdString(Isolate *isolate, Local<Value> v)
{
    String::Utf8Value  u(isolate, v);

    if (*u == nullptr) {
        return "<unprintable value>";
    }

    return std::string(*u, u.length());
}


static char *
Dup(const std::string &s)
{
    char  *p;

    p = (char *) malloc(s.size() + 1);
    if (p != nullptr) {
        memcpy(p, s.data(), s.size() + 1);
    }

    return p;
}


/*
 * "Error: msg\n    at f (/x/app.js:3:9)" for errors with a stack; the
 * value plus the location V8 recorded otherwise (syntax errors, throw 42).
 */
static std::string
FormatException(Isolate *isolate, Local<Context> context, Local<Value> exc,
    Local<Message> message)
{
    std::string   out;
    Local<Value>  stack;

    if (exc->IsObject()
        && exc.As<Object>()->Get(context,
                                 String::NewFromUtf8Literal(isolate, "stack"))
           .ToLocal(&stack)
        && stack->IsString())
    {
        out = ToStdString(isolate, stack);

    } else if (exc->IsNativeError() || exc->IsObject()) {
        out = ToStdString(isolate, exc);

    } else if (exc->IsString()) {
        out = "Uncaught '" + ToStdString(isolate, exc) + "'";

    } else {
        out = "Uncaught " + ToStdString(isolate, exc);
    }

    if (!message.IsEmpty() && out.find("\n    at ") == std::string::npos) {
        int  line = message->GetLineNumber(context).FromMaybe(0);
        int  col = message->GetStartColumn(context).FromMaybe(-1) + 1;

        out += "\n    at " + ToStdString(isolate,
                                         message->GetScriptResourceName())
               + ":" + std::to_string(line) + ":" + std::to_string(col);
    }

    return out;
}


static std::string
FormatTryCatch(Isolate *isolate, Local<Context> context, TryCatch &tc)
{
    if (tc.HasTerminated()) {
        Runtime  *r = static_cast<Runtime *>(isolate->GetData(0));

        if (!r->terminated.empty()) {
            return r->terminated;
        }

        return "execution terminated";
    }

    return FormatException(isolate, context, tc.Exception(), tc.Message());
}


static void
ReportUncaught(Runtime *r, const std::string &text, double ctx)
{
    r->rt->uncaught++;
    nv8__log(r->rt, NV8_LOG_ERR, ctx, "js exception: %s", text.c_str());
}


static void
ProcessRejections(Runtime *r)
{
    Isolate                 *isolate = r->isolate;
    HandleScope              hs(isolate);
    Local<Context>           context = r->context.Get(isolate);
    std::vector<Rejection>   list;

    list.swap(r->rejections);

    for (Rejection &rj : list) {
        Local<Value>  reason = rj.reason.Get(isolate);
        std::string   text;

        text = FormatException(isolate, context, reason, Local<Message>());
        if (!rj.where.empty()) {
            text += "\n    at " + rj.where;
        }
        ReportUncaught(r, "Uncaught (in promise) " + text, rj.context);
    }
}


static void
Drain(Runtime *r)
{
    if (r->depth > 0) {
        return;
    }

    Enter(r);
    r->isolate->PerformMicrotaskCheckpoint();
    Leave(r);

    if (!r->rejections.empty()) {
        ProcessRejections(r);
    }
}


static double
CurrentContext(Runtime *r, Local<Context> context)
{
    Local<Value>  v = context->GetContinuationPreservedEmbedderData();

    return v->IsNumber() ? v.As<Number>()->Value() : 0;
}


/* "file:line:col" of the innermost script frame, "" if none */
static std::string
Where(Runtime *r, Isolate *isolate, Local<Value> value)
{
    Local<Context>  context = isolate->GetCurrentContext();
    Local<Message>  m = Exception::CreateMessage(isolate, value);
    Local<Value>    name = m->GetScriptResourceName();
    int             line = m->GetLineNumber(context).FromMaybe(0);

    if (!name->IsString() || name.As<String>()->Length() == 0 || line == 0) {
        return std::string();
    }

    return ToStdString(isolate, name) + ":" + std::to_string(line) + ":"
           + std::to_string(m->GetStartColumn(context).FromMaybe(-1) + 1);
}


static void
PromiseRejected(PromiseRejectMessage msg)
{
    Local<Promise>   promise = msg.GetPromise();
    Isolate         *isolate = promise->GetIsolate();
    Runtime         *r = static_cast<Runtime *>(isolate->GetData(0));

    if (msg.GetEvent() == v8::kPromiseRejectWithNoHandler) {
        Rejection  rj;

        rj.promise.Reset(isolate, promise);
        rj.reason.Reset(isolate, msg.GetValue());
        rj.context = CurrentContext(r, isolate->GetCurrentContext());

        if (!msg.GetValue()->IsNativeError()) {
            /*
             * "throw 42" in an async function carries no stack: the only
             * record of where is the frame still on the stack now, so
             * keep it for the log, on the promise for formatError()
             */
            rj.where = Where(r, isolate, msg.GetValue());

            if (!rj.where.empty()) {
                Ignore(promise->SetPrivate(isolate->GetCurrentContext(),
                                           r->where_key.Get(isolate),
                                           Str(isolate, rj.where)));
            }
        }

        r->rejections.push_back(std::move(rj));
        return;
    }

    if (msg.GetEvent() == v8::kPromiseHandlerAddedAfterReject) {
        for (size_t i = 0; i < r->rejections.size(); i++) {
            if (r->rejections[i].promise.Get(isolate) == promise) {
                r->rejections.erase(r->rejections.begin() + i);
                break;
            }
        }
    }
}


/* modules */

static ModuleRec *
FindModule(Runtime *r, Local<Module> m)
{
    int  hash = m->GetIdentityHash();

    for (auto &it : r->modules) {
        if (it.second->hash == hash
            && it.second->module.Get(r->isolate) == m)
        {
            return it.second;
        }
    }

    return nullptr;
}


/*
 * Calls a hook registered by lib/ from inside the shim (module loading).
 * On an exception returns false with it in *exc (empty if execution was
 * terminated).
 */
static bool
CallHook(Runtime *r, Local<Context> context, nv8_hook_e hook, int argc,
    Local<Value> argv[], Local<Value> *ret, Local<Value> *exc)
{
    TryCatch  tc(r->isolate);

    if (r->hooks[hook].Get(r->isolate)
        ->Call(context, v8::Undefined(r->isolate), argc, argv)
        .ToLocal(ret))
    {
        return true;
    }

    if (tc.HasCaught() && !tc.HasTerminated()) {
        *exc = tc.Exception();
    }

    return false;
}


/* the "type" of import assertions: entries of "stride" values */
static std::string
AssertedType(Isolate *isolate, Local<Context> context,
    Local<FixedArray> assertions, int stride)
{
    for (int i = 0; i + 1 < assertions->Length(); i += stride) {
        Local<v8::Data>  k = assertions->Get(context, i);
        Local<v8::Data>  v = assertions->Get(context, i + 1);

        if (k->IsValue() && v->IsValue()
            && ToStdString(isolate, k.As<Value>()) == "type")
        {
            return ToStdString(isolate, v.As<Value>());
        }
    }

    return "";
}


/*
 * Builtins are resolved in C (nv8_modules.c), everything else by lib/
 * (the MODULE_RESOLVE hook).  On failure, *exc is the error to report.
 */
static bool
Resolve(Runtime *r, Local<Context> context, const std::string &referrer,
    const std::string &spec, const std::string &type, std::string *key,
    Local<Value> *exc)
{
    Isolate      *isolate = r->isolate;
    char         *k = nullptr, *e = nullptr;
    nv8_int_t     rc;
    Local<Value>  ret;

    rc = nv8__module_resolve(referrer.c_str(), spec.c_str(), &k, &e);

    if (rc == NV8_OK) {
        *key = k;
        free(k);
        return true;
    }

    if (rc == NV8_DECLINED && !r->hooks[NV8_HOOK_MODULE_RESOLVE].IsEmpty()) {
        Local<Value>  argv[3] = {
            Str(isolate, spec), Str(isolate, referrer), Str(isolate, type)
        };

        if (!CallHook(r, context, NV8_HOOK_MODULE_RESOLVE, 3, argv, &ret,
                      exc))
        {
            if (exc->IsEmpty()) {
                *exc = Exception::Error(Str(isolate, "execution terminated"));
            }

            return false;
        }

        *key = ToStdString(isolate, ret);
        return true;
    }

    *exc = Exception::Error(Str(isolate, e ? e : "Cannot find module '"
                                                 + spec + "' imported from "
                                                 + referrer));
    free(e);

    return false;
}


/* a resolution error in a log: its message, without lib/'s frames */
static std::string
ResolveErrorText(Isolate *isolate, Local<Context> context, Local<Value> exc)
{
    Local<Value>  code;

    if (exc->IsObject()
        && exc.As<Object>()->Get(context,
                                 String::NewFromUtf8Literal(isolate, "code"))
           .ToLocal(&code)
        && code->IsString())
    {
        Local<Value>  msg;

        if (exc.As<Object>()->Get(context,
                                  String::NewFromUtf8Literal(isolate,
                                                             "message"))
            .ToLocal(&msg))
        {
            return "Error [" + ToStdString(isolate, code) + "]: "
                   + ToStdString(isolate, msg);
        }
    }

    return ToStdString(isolate, exc);
}


static MaybeLocal<Value>
EvaluateSynthetic(Local<Context> context, Local<Module> module);


static MaybeLocal<Module>
CompileSource(Runtime *r, Local<Context> context, const std::string &key,
    std::string *err)
{
    Isolate       *isolate = r->isolate;
    const char    *src;
    size_t         len;
    int            builtin;
    char          *e = nullptr;
    Local<String>  source;
    Local<Module>  module;

    if (nv8__module_source(key.c_str(), &src, &len, &builtin, &e) != NV8_OK) {
        *err = e ? e : "out of memory";
        free(e);
        return MaybeLocal<Module>();
    }

    if (builtin) {
        /* builtins are static ASCII: no copy */
        if (!String::NewExternalOneByte(isolate,
                                        new StaticOneByte(src, len))
             .ToLocal(&source))
        {
            *err = "cannot create source of " + key;
            return MaybeLocal<Module>();
        }

    } else {
        MaybeLocal<String>  ms = String::NewFromUtf8(isolate, src,
                                                     NewStringType::kNormal,
                                                     (int) len);
        free((void *) src);

        if (!ms.ToLocal(&source)) {
            *err = key + ": file too large";
            return MaybeLocal<Module>();
        }
    }

    ScriptOrigin  origin(isolate, Str(isolate, key), 0, 0,
                         false, -1, Local<Value>(), false, false, true);
    ScriptCompiler::CachedData      *cached = nullptr;
    ScriptCompiler::CompileOptions   options = ScriptCompiler::kNoCompileOptions;

    if (builtin) {
        for (const nv8_code_cache_t *c = nv8_code_cache; c->key; c++) {
            if (key == c->key) {
                /* the Source owns and deletes it; the bytes stay ours */
                cached = new ScriptCompiler::CachedData(
                    c->data, (int) c->len,
                    ScriptCompiler::CachedData::BufferNotOwned);
                options = ScriptCompiler::kConsumeCodeCache;
                break;
            }
        }
    }

    ScriptCompiler::Source  ss(source, origin, cached);
    TryCatch                tc(isolate);

    if (!ScriptCompiler::CompileModule(isolate, &ss, options)
         .ToLocal(&module))
    {
        *err = FormatTryCatch(isolate, context, tc);

        if (tc.HasCaught() && !tc.HasTerminated()) {
            r->fetch_error.Reset(isolate, tc.Exception());
        }

        return MaybeLocal<Module>();
    }

    if (cached != nullptr) {
        /* refused: made by another V8 or with other flags */
        if (ss.GetCachedData()->rejected) {
            r->cache_refused++;

        } else {
            r->cache_used++;
        }
    }

    return module;
}


/*
 * Fetches "key" and, depth first, everything it imports: each module is
 * compiled once per isolate.  lib/ tells the format of a file (the
 * MODULE_LOAD hook): an ES module is compiled here, anything else
 * (CommonJS, JSON) becomes a synthetic module with the export names lib/
 * gave, evaluated by lib/ (the MODULE_EVALUATE hook).
 */
static MaybeLocal<Module>
FetchTree(Runtime *r, Local<Context> context, const std::string &key,
    std::string *err)
{
    Isolate       *isolate = r->isolate;
    Local<Module>  module;
    Local<Value>   ret, exc;
    std::vector<std::string>    names;
    std::vector<Local<String>>  exports;

    auto found = r->modules.find(key);
    if (found != r->modules.end()) {
        return found->second->module.Get(isolate);
    }

    if (key.compare(0, 5, "node:") != 0
        && !r->hooks[NV8_HOOK_MODULE_LOAD].IsEmpty())
    {
        Local<Value>  argv[1] = { Str(isolate, key) };

        if (!CallHook(r, context, NV8_HOOK_MODULE_LOAD, 1, argv, &ret, &exc))
        {
            if (exc.IsEmpty()) {
                *err = "execution terminated";
                return MaybeLocal<Module>();
            }

            *err = FormatException(isolate, context, exc, Local<Message>());
            r->fetch_error.Reset(isolate, exc);
            return MaybeLocal<Module>();
        }

        if (!ret->IsArray() || ret.As<Array>()->Length() < 1) {
            *err = key + ": the module loader returned no format";
            return MaybeLocal<Module>();
        }

        Local<Array>  a = ret.As<Array>();

        for (uint32_t i = 0; i < a->Length(); i++) {
            Local<Value>  v;

            if (!a->Get(context, i).ToLocal(&v)) {
                *err = key + ": the module loader failed";
                return MaybeLocal<Module>();
            }

            names.push_back(ToStdString(isolate, v));
        }
    }

    if (names.empty() || names[0] == "module") {
        if (!CompileSource(r, context, key, err).ToLocal(&module)) {
            return MaybeLocal<Module>();
        }

        names.clear();

    } else {
        names.erase(names.begin());

        for (const std::string &n : names) {
            exports.push_back(Str(isolate, n));
        }

        module = Module::CreateSyntheticModule(isolate, Str(isolate, key),
                                               exports, EvaluateSynthetic);
    }

    ModuleRec  *rec = new ModuleRec;

    rec->module.Reset(isolate, module);
    rec->key = key;
    rec->hash = module->GetIdentityHash();
    rec->names = std::move(names);
    r->modules[key] = rec;

    if (module->IsSyntheticModule()) {
        return module;
    }

    Local<FixedArray>  requests = module->GetModuleRequests();

    for (int i = 0; i < requests->Length(); i++) {
        Local<ModuleRequest>  req = requests->Get(context, i)
                                    .As<ModuleRequest>();
        std::string           spec = ToStdString(isolate,
                                                 req->GetSpecifier());
        std::string           type = AssertedType(isolate, context,
                                                  req->GetImportAssertions(),
                                                  3);
        std::string           child;
        Location              loc = module->SourceOffsetToLocation(
                                        req->GetSourceOffset());
        std::string           at = "\n    at " + key + ":"
                                   + std::to_string(loc.GetLineNumber() + 1)
                                   + ":"
                                   + std::to_string(loc.GetColumnNumber()
                                                    + 1);

        if (!Resolve(r, context, key, spec, type, &child, &exc)) {
            *err = ResolveErrorText(isolate, context, exc) + at;
            r->fetch_error.Reset(isolate, exc);
            return MaybeLocal<Module>();
        }

        rec->deps[spec] = child;

        if (FetchTree(r, context, child, err).IsEmpty()) {
            /* the import chain, innermost first */
            *err += at;
            return MaybeLocal<Module>();
        }
    }

    return module;
}


static MaybeLocal<Value>
EvaluateSynthetic(Local<Context> context, Local<Module> module)
{
    Isolate                   *isolate = context->GetIsolate();
    Runtime                   *r = static_cast<Runtime *>(isolate->GetData(0));
    ModuleRec                 *rec = FindModule(r, module);
    Local<Value>               ret, exc;
    Local<Promise::Resolver>   resolver;

    if (rec == nullptr) {
        isolate->ThrowException(Exception::Error(
            String::NewFromUtf8Literal(isolate, "unknown synthetic module")));
        return MaybeLocal<Value>();
    }

    Local<Value>  argv[1] = { Str(isolate, rec->key) };

    if (!CallHook(r, context, NV8_HOOK_MODULE_EVALUATE, 1, argv, &ret, &exc))
    {
        if (!exc.IsEmpty()) {
            isolate->ThrowException(exc);
        }

        return MaybeLocal<Value>();
    }

    if (!ret->IsObject()) {
        isolate->ThrowException(Exception::TypeError(
            String::NewFromUtf8Literal(isolate,
                                       "module evaluation gave no object")));
        return MaybeLocal<Value>();
    }

    for (const std::string &n : rec->names) {
        Local<String>  name = Str(isolate, n);
        Local<Value>   v;

        if (!ret.As<Object>()->Get(context, name).ToLocal(&v)
            || !module->SetSyntheticModuleExport(isolate, name, v)
                .FromMaybe(false))
        {
            return MaybeLocal<Value>();
        }
    }

    if (!Promise::Resolver::New(context).ToLocal(&resolver)) {
        return MaybeLocal<Value>();
    }

    Ignore(resolver->Resolve(context, v8::Undefined(isolate)));

    return resolver->GetPromise();
}


static MaybeLocal<Module>
ResolveModule(Local<Context> context, Local<String> specifier,
    Local<FixedArray> assertions, Local<Module> referrer)
{
    Isolate     *isolate = context->GetIsolate();
    Runtime     *r = static_cast<Runtime *>(isolate->GetData(0));
    ModuleRec   *rec = FindModule(r, referrer);
    std::string  spec = ToStdString(isolate, specifier);

    if (rec != nullptr) {
        auto dep = rec->deps.find(spec);

        if (dep != rec->deps.end()) {
            auto found = r->modules.find(dep->second);

            if (found != r->modules.end()) {
                return found->second->module.Get(isolate);
            }
        }
    }

    isolate->ThrowException(Exception::Error(
        Str(isolate, "module not fetched: " + spec)));

    return MaybeLocal<Module>();
}


static MaybeLocal<Module>
Link(Runtime *r, Local<Context> context, const std::string &key,
    std::string *err)
{
    Local<Module>  module;
    TryCatch       tc(r->isolate);

    if (!FetchTree(r, context, key, err).ToLocal(&module)) {
        return MaybeLocal<Module>();
    }

    if (module->GetStatus() < Module::kInstantiated
        && !module->InstantiateModule(context, ResolveModule).FromMaybe(false))
    {
        *err = FormatTryCatch(r->isolate, context, tc);

        /* a missing export: the SyntaxError itself, for import() */
        if (r->fetch_error.IsEmpty() && tc.HasCaught()) {
            r->fetch_error.Reset(r->isolate, tc.Exception());
        }

        return MaybeLocal<Module>();
    }

    return module;
}


/* runs the loop until "promise" settles: top-level await at start-up */
static bool
Settle(Runtime *r, Local<Promise> promise)
{
    Drain(r);

    while (promise->State() == Promise::kPending) {
        if (uv_run(&r->rt->loop, UV_RUN_ONCE) == 0) {
            Drain(r);
            break;
        }

        Drain(r);
    }

    return promise->State() != Promise::kPending;
}


static MaybeLocal<Module>
Load(Runtime *r, Local<Context> context, const std::string &key,
    std::string *err)
{
    Isolate       *isolate = r->isolate;
    Local<Module>  module;
    Local<Value>   result;
    TryCatch       tc(isolate);

    if (!Link(r, context, key, err).ToLocal(&module)) {
        return MaybeLocal<Module>();
    }

    if (module->GetStatus() == Module::kEvaluated) {
        return module;
    }

    if (module->GetStatus() == Module::kErrored) {
        *err = FormatException(isolate, context, module->GetException(),
                               Local<Message>());
        return MaybeLocal<Module>();
    }

    Enter(r);
    bool ok = module->Evaluate(context).ToLocal(&result);
    bool stopped = r->terminating;
    Leave(r, false);

    if (!ok) {
        *err = stopped ? r->terminated : FormatTryCatch(isolate, context, tc);
        return MaybeLocal<Module>();
    }

    if (result->IsPromise()) {
        Local<Promise>  p = result.As<Promise>();

        if (!Settle(r, p)) {
            *err = key + ": top-level await never settled";
            return MaybeLocal<Module>();
        }

        if (p->State() == Promise::kRejected) {
            *err = FormatException(isolate, context, p->Result(),
                                   Local<Message>());
            return MaybeLocal<Module>();
        }
    }

    return module;
}


static void
ImportMeta(Local<Context> context, Local<Module> module, Local<Object> meta)
{
    Isolate     *isolate = context->GetIsolate();
    Runtime     *r = static_cast<Runtime *>(isolate->GetData(0));
    ModuleRec   *rec = FindModule(r, module);
    std::string  url;

    if (rec == nullptr) {
        return;
    }

    if (rec->key.compare(0, 5, "node:") == 0) {
        url = rec->key;

        /* only the embedded lib/ reaches bindings */
        Ignore(meta->Set(context, String::NewFromUtf8Literal(isolate,
                                                             "binding"),
                         r->binding_fn.Get(isolate)));

    } else {
        url = "file://" + rec->key;
    }

    Ignore(meta->Set(context, String::NewFromUtf8Literal(isolate, "url"),
                     Str(isolate, url)));
}


static void
ReturnData(const FunctionCallbackInfo<Value> &info)
{
    info.GetReturnValue().Set(info.Data());
}


static MaybeLocal<Promise>
ImportDynamic(Local<Context> context, Local<v8::Data> options,
    Local<Value> resource, Local<String> specifier,
    Local<FixedArray> assertions)
{
    Isolate          *isolate = context->GetIsolate();
    Runtime          *r = static_cast<Runtime *>(isolate->GetData(0));
    Local<Promise::Resolver>  resolver;
    Local<Module>     module;
    Local<Value>      result, exc;
    std::string       referrer = ToStdString(isolate, resource);
    std::string       spec = ToStdString(isolate, specifier);
    std::string       type = AssertedType(isolate, context, assertions, 2);
    std::string       err, key;

    if (!Promise::Resolver::New(context).ToLocal(&resolver)) {
        return MaybeLocal<Promise>();
    }

    if (!Resolve(r, context, referrer, spec, type, &key, &exc)) {
        Ignore(resolver->Reject(context, exc));
        return resolver->GetPromise();
    }

    {
        TryCatch  tc(isolate);

        r->fetch_error.Reset();

        if (!Link(r, context, key, &err).ToLocal(&module)) {
            /* the original error, its stack the import chain */
            exc = r->fetch_error.Get(isolate);
            r->fetch_error.Reset();

            if (exc.IsEmpty() || !exc->IsObject()) {
                exc = Exception::Error(Str(isolate, err));

            } else {
                Ignore(exc.As<Object>()->Set(context,
                           String::NewFromUtf8Literal(isolate, "stack"),
                           Str(isolate, err)));
            }

            Ignore(resolver->Reject(context, exc));
            return resolver->GetPromise();
        }

        if (module->GetStatus() == Module::kErrored) {
            Ignore(resolver->Reject(context, module->GetException()));
            return resolver->GetPromise();
        }

        if (!module->Evaluate(context).ToLocal(&result)) {
            Ignore(resolver->Reject(context, tc.Exception()));
            return resolver->GetPromise();
        }

        Local<Function>  fn;

        if (!Function::New(context, ReturnData,
                           module->GetModuleNamespace()).ToLocal(&fn))
        {
            return MaybeLocal<Promise>();
        }

        if (result->IsPromise()) {
            return result.As<Promise>()->Then(context, fn);
        }

        Ignore(resolver->Resolve(context, module->GetModuleNamespace()));
        return resolver->GetPromise();
    }
}


/* bindings */

}  /* namespace nv8 */


struct nv8_call_s {
    const v8::FunctionCallbackInfo<v8::Value>  *info;
    nv8_runtime_t                              *rt;
    const nv8_method_t                         *method;
    std::vector<char *>                        *scratch;
    /* the call's argument copies: a buffer on the trampoline's stack,
     * then malloc() (scratch) for what does not fit */
    char                                       *arena;
    size_t                                      arena_used;
    size_t                                      arena_size;
};


struct nv8_promise_s {
    nv8_runtime_t                              *rt;
    v8::Global<v8::Promise::Resolver>           resolver;
};


namespace nv8 {


static void
Trampoline(const FunctionCallbackInfo<Value> &info)
{
    Isolate                *isolate = info.GetIsolate();
    Runtime                *r = static_cast<Runtime *>(isolate->GetData(0));
    std::vector<char *>     scratch;
    nv8_call_s              call;
    alignas(16) char        arena[2048];

    call.info = &info;
    call.rt = r->rt;
    call.method = static_cast<const nv8_method_t *>(
                      info.Data().As<External>()->Value());
    call.scratch = &scratch;
    call.arena = arena;
    call.arena_used = 0;
    call.arena_size = sizeof(arena);

    (void) call.method->handler(&call);

    for (char *p : scratch) {
        free(p);
    }
}


static void
BindingGet(const FunctionCallbackInfo<Value> &info);


static MaybeLocal<Object>
MakeBinding(Runtime *r, Local<Context> context, const nv8_binding_t *b)
{
    Isolate        *isolate = r->isolate;
    Local<Object>   obj = Object::New(isolate);

    for (const nv8_method_t *m = b->methods; m->name != nullptr; m++) {
        Local<Function>  fn;

        if (!Function::New(context, Trampoline,
                           External::New(isolate, (void *) m))
             .ToLocal(&fn))
        {
            return MaybeLocal<Object>();
        }

        fn->SetName(Str(isolate, m->name, strlen(m->name)));

        if (!obj->Set(context, Str(isolate, m->name, strlen(m->name)), fn)
             .FromMaybe(false))
        {
            return MaybeLocal<Object>();
        }
    }

    return obj;
}


/* the "v8" binding: engine mechanisms for lib/ */

static void
SetHook(const FunctionCallbackInfo<Value> &info)
{
    Isolate  *isolate = info.GetIsolate();
    Runtime  *r = static_cast<Runtime *>(isolate->GetData(0));
    uint32_t  i;

    if (!info[0]->IsUint32() || !info[1]->IsFunction()
        || (i = info[0].As<v8::Uint32>()->Value()) >= NV8_HOOK_MAX)
    {
        isolate->ThrowException(Exception::TypeError(
            String::NewFromUtf8Literal(isolate, "setHook(index, fn)")));
        return;
    }

    r->hooks[i].Reset(isolate, info[1].As<Function>());
}


static void
RunMicrotasks(const FunctionCallbackInfo<Value> &info)
{
    info.GetIsolate()->PerformMicrotaskCheckpoint();
}


static void
GetContextId(const FunctionCallbackInfo<Value> &info)
{
    Isolate  *isolate = info.GetIsolate();

    info.GetReturnValue().Set(
        isolate->GetCurrentContext()->GetContinuationPreservedEmbedderData());
}


static void
SetContextId(const FunctionCallbackInfo<Value> &info)
{
    Isolate  *isolate = info.GetIsolate();

    isolate->GetCurrentContext()->SetContinuationPreservedEmbedderData(
        info[0]);
}


static void
ReportError(const FunctionCallbackInfo<Value> &info)
{
    Isolate         *isolate = info.GetIsolate();
    Runtime         *r = static_cast<Runtime *>(isolate->GetData(0));
    Local<Context>   context = isolate->GetCurrentContext();

    ReportUncaught(r, FormatException(isolate, context, info[0],
                                      Local<Message>()),
                   CurrentContext(r, context));
}


static void
FormatError(const FunctionCallbackInfo<Value> &info)
{
    Isolate         *isolate = info.GetIsolate();
    Local<Context>   context = isolate->GetCurrentContext();

    Runtime         *r = static_cast<Runtime *>(isolate->GetData(0));
    Local<Value>     where;
    std::string      text;

    text = FormatException(isolate, context, info[0], Local<Message>());

    /* formatError(reason, promise): where a non-Error rejected it */
    if (info.Length() > 1 && info[1]->IsPromise()
        && info[1].As<Object>()->GetPrivate(context,
                                            r->where_key.Get(isolate))
           .ToLocal(&where)
        && where->IsString())
    {
        text += "\n    at " + ToStdString(isolate, where);
    }

    info.GetReturnValue().Set(Str(isolate, text));
}


static void
DecodeUtf8(const FunctionCallbackInfo<Value> &info)
{
    Isolate  *isolate = info.GetIsolate();

    if (!info[0]->IsArrayBufferView()) {
        isolate->ThrowException(Exception::TypeError(
            String::NewFromUtf8Literal(isolate,
                                       "expected an ArrayBufferView")));
        return;
    }

    Local<ArrayBufferView>  view = info[0].As<ArrayBufferView>();
    std::shared_ptr<BackingStore>  bs = view->Buffer()->GetBackingStore();
    const char  *p = static_cast<const char *>(bs->Data())
                     + view->ByteOffset();
    Local<String>  s;

    if (String::NewFromUtf8(isolate, p, NewStringType::kNormal,
                            (int) view->ByteLength()).ToLocal(&s))
    {
        info.GetReturnValue().Set(s);
    }
}


/* bytes as Latin-1 (one byte, one char); Node's 'latin1' decoding */
static void
DecodeLatin1(const FunctionCallbackInfo<Value> &info)
{
    Isolate  *isolate = info.GetIsolate();

    if (!info[0]->IsArrayBufferView()) {
        isolate->ThrowException(Exception::TypeError(
            String::NewFromUtf8Literal(isolate,
                                       "expected an ArrayBufferView")));
        return;
    }

    Local<ArrayBufferView>  view = info[0].As<ArrayBufferView>();
    std::shared_ptr<BackingStore>  bs = view->Buffer()->GetBackingStore();
    const uint8_t  *p = static_cast<const uint8_t *>(bs->Data())
                        + view->ByteOffset();
    Local<String>  s;

    if (String::NewFromOneByte(isolate, p, NewStringType::kNormal,
                               (int) view->ByteLength()).ToLocal(&s))
    {
        info.GetReturnValue().Set(s);
    }
}


static void
EncodeUtf8(const FunctionCallbackInfo<Value> &info)
{
    Isolate        *isolate = info.GetIsolate();
    Local<String>   s;

    if (!info[0]->ToString(isolate->GetCurrentContext()).ToLocal(&s)) {
        return;
    }

    size_t          len = s->Utf8Length(isolate);
    Local<ArrayBuffer>  ab = ArrayBuffer::New(isolate, len);

    s->WriteUtf8(isolate, static_cast<char *>(ab->Data()), (int) len,
                 nullptr, String::NO_NULL_TERMINATION
                          | String::REPLACE_INVALID_UTF8);

    info.GetReturnValue().Set(Uint8Array::New(ab, 0, len));
}


/*
 * compileFunction(source, filename, params): the source as the body of a
 * function with those parameters (CommonJS' wrapper), compiled with the
 * file as its origin so stacks and import() see the file.  A syntax error
 * is rethrown with the location V8 recorded in its stack.
 */
static void
CompileFunction(const FunctionCallbackInfo<Value> &info)
{
    Isolate                     *isolate = info.GetIsolate();
    Local<Context>               context = isolate->GetCurrentContext();
    Local<Function>              fn;
    std::vector<Local<String>>   params;

    if (!info[0]->IsString() || !info[1]->IsString() || !info[2]->IsArray()) {
        isolate->ThrowException(Exception::TypeError(
            String::NewFromUtf8Literal(isolate,
                "compileFunction(source, filename, params)")));
        return;
    }

    Local<Array>  a = info[2].As<Array>();

    for (uint32_t i = 0; i < a->Length(); i++) {
        Local<Value>   v;
        Local<String>  p;

        if (!a->Get(context, i).ToLocal(&v)
            || !v->ToString(context).ToLocal(&p))
        {
            return;
        }

        params.push_back(p);
    }

    ScriptOrigin            origin(isolate, info[1].As<String>());
    ScriptCompiler::Source  ss(info[0].As<String>(), origin);
    TryCatch                tc(isolate);

    if (ScriptCompiler::CompileFunction(context, &ss, params.size(),
                                        params.data()).ToLocal(&fn))
    {
        info.GetReturnValue().Set(fn);
        return;
    }

    if (!tc.HasCaught() || tc.HasTerminated()) {
        tc.ReThrow();
        return;
    }

    Local<Value>    exc = tc.Exception();
    Local<Message>  msg = tc.Message();

    if (exc->IsObject() && !msg.IsEmpty()) {
        std::string  stack = ToStdString(isolate, exc) + "\n    at "
            + ToStdString(isolate, info[1])
            + ":" + std::to_string(msg->GetLineNumber(context).FromMaybe(0))
            + ":" + std::to_string(msg->GetStartColumn(context).FromMaybe(-1)
                                   + 1);

        Ignore(exc.As<Object>()->Set(context,
                                     String::NewFromUtf8Literal(isolate,
                                                                "stack"),
                                     Str(isolate, stack)));
    }

    tc.ReThrow();
}


/* builtin(id): the namespace of builtin "id", loaded if needed */
static void
BuiltinNamespace(const FunctionCallbackInfo<Value> &info)
{
    Isolate         *isolate = info.GetIsolate();
    Runtime         *r = static_cast<Runtime *>(isolate->GetData(0));
    Local<Context>   context = isolate->GetCurrentContext();
    Local<Module>    module;
    std::string      err;

    if (!Load(r, context, "node:" + ToStdString(isolate, info[0]), &err)
         .ToLocal(&module))
    {
        isolate->ThrowException(Exception::Error(Str(isolate, err)));
        return;
    }

    info.GetReturnValue().Set(module->GetModuleNamespace());
}


/*
 * requireModule(key): require() of an ES module, as Node 22: the graph is
 * fetched, linked and evaluated now, and must finish synchronously.  Gives
 * the namespace, or 1 for a module still evaluating (a cycle) and 2 for a
 * graph with top-level await, which lib/ turns into Node's errors; an
 * evaluation error is rethrown.
 */
static void
RequireModule(const FunctionCallbackInfo<Value> &info)
{
    Isolate         *isolate = info.GetIsolate();
    Runtime         *r = static_cast<Runtime *>(isolate->GetData(0));
    Local<Context>   context = isolate->GetCurrentContext();
    Local<Module>    module;
    Local<Value>     result, exc;
    std::string      err, key = ToStdString(isolate, info[0]);

    r->fetch_error.Reset();

    if (!Link(r, context, key, &err).ToLocal(&module)) {
        /* the original error, its stack the import chain, as import() */
        exc = r->fetch_error.Get(isolate);
        r->fetch_error.Reset();

        if (exc.IsEmpty() || !exc->IsObject()) {
            exc = Exception::Error(Str(isolate, err));

        } else {
            Ignore(exc.As<Object>()->Set(context,
                       String::NewFromUtf8Literal(isolate, "stack"),
                       Str(isolate, err)));
        }

        isolate->ThrowException(exc);
        return;
    }

    switch (module->GetStatus()) {

    case Module::kErrored:
        isolate->ThrowException(module->GetException());
        return;

    case Module::kEvaluating:
        info.GetReturnValue().Set(Integer::New(isolate, 1));
        return;

    case Module::kEvaluated:
        break;

    default:
        /* as Node: a graph with top-level await is not run at all */
        if (module->IsGraphAsync()) {
            info.GetReturnValue().Set(Integer::New(isolate, 2));
            return;
        }

        if (!module->Evaluate(context).ToLocal(&result)) {
            return;
        }

        /* settled: the graph is synchronous */
        if (result->IsPromise()
            && result.As<Promise>()->State() == Promise::kRejected)
        {
            Local<Promise>  p = result.As<Promise>();

            /* the error is thrown: it is no unhandled rejection */
            p->MarkAsHandled();

            for (size_t i = 0; i < r->rejections.size(); i++) {
                if (r->rejections[i].promise.Get(isolate) == p) {
                    r->rejections.erase(r->rejections.begin() + i);
                    break;
                }
            }

            isolate->ThrowException(p->Result());
            return;
        }
    }

    info.GetReturnValue().Set(module->GetModuleNamespace());
}


/* [total_heap_size, used_heap_size, external_memory] for memoryUsage() */

static void
HeapStats(const FunctionCallbackInfo<Value> &info)
{
    Isolate         *isolate = info.GetIsolate();
    HeapStatistics   hs;
    Local<Value>     v[3];

    isolate->GetHeapStatistics(&hs);

    v[0] = Number::New(isolate, (double) hs.total_heap_size());
    v[1] = Number::New(isolate, (double) hs.used_heap_size());
    v[2] = Number::New(isolate, (double) hs.external_memory());

    info.GetReturnValue().Set(Array::New(isolate, v, 3));
}


/*
 * structuredClone(value, transfer, DOMException): HTML's structured clone
 * by V8's own serializer, as Node and Deno do it: one serialization and one
 * deserialization in the same isolate.  The ArrayBuffers in "transfer"
 * (an array lib/ checked) give their backing stores to the clones and are
 * detached; SharedArrayBuffers are shared.  A value V8 cannot clone throws
 * a DataCloneError made with the DOMException class lib/ passes.
 */

class CloneWriter : public ValueSerializer::Delegate {
public:
    CloneWriter(Isolate *isolate, Local<Function> exc)
        : isolate_(isolate), exc_(exc) {}

    void ThrowDataCloneError(Local<String> message) override {
        Local<Context>  context = isolate_->GetCurrentContext();
        Local<Value>    argv[2] = {
            message, String::NewFromUtf8Literal(isolate_, "DataCloneError")
        };
        Local<Object>   e;

        /* if the constructor throws, its exception is the one pending */
        if (exc_->NewInstance(context, 2, argv).ToLocal(&e)) {
            isolate_->ThrowException(e);
        }
    }

    Maybe<uint32_t> GetSharedArrayBufferId(Isolate *isolate,
        Local<SharedArrayBuffer> sab) override
    {
        for (size_t i = 0; i < sabs.size(); i++) {
            if (sabs[i].Get(isolate) == sab) {
                return v8::Just((uint32_t) i);
            }
        }

        sabs.emplace_back(isolate, sab);

        return v8::Just((uint32_t) (sabs.size() - 1));
    }

    std::vector<Global<SharedArrayBuffer>>  sabs;

private:
    Isolate          *isolate_;
    Local<Function>   exc_;
};


class CloneReader : public ValueDeserializer::Delegate {
public:
    explicit CloneReader(CloneWriter *w) : writer_(w) {}

    MaybeLocal<SharedArrayBuffer> GetSharedArrayBufferFromId(
        Isolate *isolate, uint32_t id) override
    {
        if (id < writer_->sabs.size()) {
            return writer_->sabs[id].Get(isolate);
        }

        return MaybeLocal<SharedArrayBuffer>();
    }

private:
    CloneWriter  *writer_;
};


static void
StructuredClone(const FunctionCallbackInfo<Value> &info)
{
    Isolate                          *isolate = info.GetIsolate();
    Local<Context>                    context = isolate->GetCurrentContext();
    Local<Value>                      v, result;
    std::vector<Local<ArrayBuffer>>   abs;

    if (!info[1]->IsArray() || !info[2]->IsFunction()) {
        isolate->ThrowException(Exception::TypeError(
            String::NewFromUtf8Literal(isolate,
                "structuredClone(value, transfer, DOMException)")));
        return;
    }

    CloneWriter  writer(isolate, info[2].As<Function>());
    Local<Array>  list = info[1].As<Array>();

    for (uint32_t i = 0; i < list->Length(); i++) {
        if (!list->Get(context, i).ToLocal(&v)) {
            return;
        }

        if (!v->IsArrayBuffer()) {
            writer.ThrowDataCloneError(String::NewFromUtf8Literal(isolate,
                "Value not transferable"));
            return;
        }

        Local<ArrayBuffer>  ab = v.As<ArrayBuffer>();

        for (const Local<ArrayBuffer> &seen : abs) {
            if (seen == ab) {
                writer.ThrowDataCloneError(Str(isolate,
                    "ArrayBuffer at index " + std::to_string(i)
                    + " is a duplicate of an earlier ArrayBuffer"));
                return;
            }
        }

        if (ab->WasDetached() || !ab->IsDetachable()) {
            writer.ThrowDataCloneError(Str(isolate,
                "ArrayBuffer at index " + std::to_string(i)
                + " could not be transferred"));
            return;
        }

        abs.push_back(ab);
    }

    ValueSerializer  ser(isolate, &writer);

    ser.WriteHeader();

    for (size_t i = 0; i < abs.size(); i++) {
        ser.TransferArrayBuffer((uint32_t) i, abs[i]);
    }

    if (!ser.WriteValue(context, info[0]).FromMaybe(false)) {
        return;
    }

    std::pair<uint8_t *, size_t>  data = ser.Release();
    CloneReader                   reader(&writer);
    ValueDeserializer             des(isolate, data.first, data.second,
                                      &reader);

    for (size_t i = 0; i < abs.size(); i++) {
        std::shared_ptr<BackingStore>  bs = abs[i]->GetBackingStore();

        abs[i]->Detach();
        des.TransferArrayBuffer((uint32_t) i, ArrayBuffer::New(isolate, bs));
    }

    if (des.ReadHeader(context).FromMaybe(false)
        && des.ReadValue(context).ToLocal(&result))
    {
        info.GetReturnValue().Set(result);
    }

    writer.FreeBufferMemory(data.first);
}


/*
 * transferBuffer(ab, length): the checks of ArrayBufferCopyAndDetach();
 * when "length" is the buffer's length, moves its backing store to a new
 * ArrayBuffer and detaches it (no copy), else returns undefined and lib/
 * copies, then calls again to detach.
 */
static void
TransferBuffer(const FunctionCallbackInfo<Value> &info)
{
    Isolate  *isolate = info.GetIsolate();

    if (!info[0]->IsArrayBuffer() || !info[1]->IsNumber()) {
        isolate->ThrowException(Exception::TypeError(
            String::NewFromUtf8Literal(isolate,
                                       "transferBuffer(arrayBuffer, n)")));
        return;
    }

    Local<ArrayBuffer>  ab = info[0].As<ArrayBuffer>();

    if (ab->WasDetached()) {
        isolate->ThrowException(Exception::TypeError(
            String::NewFromUtf8Literal(isolate,
                "Cannot transfer a detached ArrayBuffer")));
        return;
    }

    if (!ab->IsDetachable()) {
        isolate->ThrowException(Exception::TypeError(
            String::NewFromUtf8Literal(isolate,
                "Cannot transfer a non-detachable ArrayBuffer")));
        return;
    }

    if (info[1].As<Number>()->Value() != (double) ab->ByteLength()) {
        return;
    }

    std::shared_ptr<BackingStore>  bs = ab->GetBackingStore();

    ab->Detach();
    info.GetReturnValue().Set(ArrayBuffer::New(isolate, bs));
}


/* promiseState(p): [0 pending | 1 fulfilled | 2 rejected, result] */
static void
PromiseState(const FunctionCallbackInfo<Value> &info)
{
    Isolate       *isolate = info.GetIsolate();
    Local<Value>   v[2];

    if (!info[0]->IsPromise()) {
        return;
    }

    Local<Promise>  p = info[0].As<Promise>();

    v[0] = Integer::New(isolate, (int) p->State());
    v[1] = p->State() == Promise::kPending ? v8::Undefined(isolate).As<Value>()
                                           : p->Result();

    info.GetReturnValue().Set(Array::New(isolate, v, 2));
}


/* isDetached(ab) */
static void
IsDetached(const FunctionCallbackInfo<Value> &info)
{
    info.GetReturnValue().Set(info[0]->IsArrayBuffer()
                              && info[0].As<ArrayBuffer>()->WasDetached());
}


struct V8Method {
    const char               *name;
    v8::FunctionCallback      fn;
};


static const V8Method  v8_methods[] = {
    { "setHook",       SetHook },
    { "runMicrotasks", RunMicrotasks },
    { "getContext",    GetContextId },
    { "setContext",    SetContextId },
    { "reportError",   ReportError },
    { "formatError",   FormatError },
    { "decodeUtf8",    DecodeUtf8 },
    { "decodeLatin1",  DecodeLatin1 },
    { "encodeUtf8",    EncodeUtf8 },
    { "compileFunction", CompileFunction },
    { "builtin",       BuiltinNamespace },
    { "requireModule", RequireModule },
    { "heapStats",     HeapStats },
    { "structuredClone", StructuredClone },
    { "transferBuffer", TransferBuffer },
    { "isDetached",    IsDetached },
    { "promiseState",  PromiseState },
    { nullptr,         nullptr }
};


static MaybeLocal<Object>
MakeV8Binding(Runtime *r, Local<Context> context)
{
    Isolate        *isolate = r->isolate;
    Local<Object>   obj = Object::New(isolate);

    for (const V8Method *m = v8_methods; m->name != nullptr; m++) {
        Local<Function>  fn;

        if (!Function::New(context, m->fn).ToLocal(&fn)
            || !obj->Set(context, Str(isolate, m->name, strlen(m->name)), fn)
                .FromMaybe(false))
        {
            return MaybeLocal<Object>();
        }
    }

    return obj;
}


static void
BindingGet(const FunctionCallbackInfo<Value> &info)
{
    Isolate              *isolate = info.GetIsolate();
    Runtime              *r = static_cast<Runtime *>(isolate->GetData(0));
    Local<Context>        context = isolate->GetCurrentContext();
    std::string           name = ToStdString(isolate, info[0]);
    const nv8_binding_t  *b;
    Local<Object>         obj;

    auto found = r->bindings.find(name);
    if (found != r->bindings.end()) {
        info.GetReturnValue().Set(found->second.Get(isolate));
        return;
    }

    if (name == "v8") {
        if (!MakeV8Binding(r, context).ToLocal(&obj)) {
            return;
        }

    } else {
        b = nv8__binding_find(r->rt, name.c_str());
        if (b == nullptr) {
            isolate->ThrowException(Exception::Error(
                Str(isolate, "no such binding: " + name)));
            return;
        }

        if (!MakeBinding(r, context, b).ToLocal(&obj)) {
            return;
        }
    }

    r->bindings[name].Reset(isolate, obj);
    info.GetReturnValue().Set(obj);
}


}  /* namespace nv8 */


using namespace nv8;


/* process */

extern "C" nv8_int_t
nv8_process_init(const char *v8_flags, unsigned threads)
{
    char       buf[32];
    sigset_t   all, old;
    uv_loop_t  tmp;
    uv_work_t  work;

    if (platform) {
        return NV8_OK;
    }

    if (threads > 0) {
        /* libuv reads it once, at the first use of its pool */
        snprintf(buf, sizeof(buf), "%u", threads);
        setenv("UV_THREADPOOL_SIZE", buf, 1);
    }

    /*
     * Large buffers (bodies, ArrayBuffers) come and go all the time; with
     * glibc's sliding mmap threshold they end up in the heap once one is
     * freed, and the worker's RSS keeps what a burst of them took.  A
     * fixed threshold gives every large block back when it is freed.
     */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);

    /* import ... assert { type: 'json' }, as Node enables it on V8 10 */
    v8::V8::SetFlagsFromString("--harmony-import-assertions");

    if (v8_flags != nullptr && v8_flags[0] != '\0') {
        v8::V8::SetFlagsFromString(v8_flags);
    }

    /* threads inherit the mask: none of them may take the host's signals */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);

    platform = v8::platform::NewDefaultPlatform(2);
    v8::V8::InitializePlatform(platform.get());

    if (!v8::V8::Initialize()) {
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
        return NV8_ERROR;
    }

    /* start libuv's thread pool now, while signals are blocked */
    if (uv_loop_init(&tmp) == 0) {
        uv_queue_work(&tmp, &work, [](uv_work_t *) {}, nullptr);
        uv_run(&tmp, UV_RUN_DEFAULT);
        uv_loop_close(&tmp);
    }

    pthread_sigmask(SIG_SETMASK, &old, nullptr);

    return NV8_OK;
}


extern "C" void
nv8_process_exit(void)
{
    if (!platform) {
        return;
    }

    v8::V8::Dispose();
    v8::V8::DisposePlatform();
    platform.reset();
}


/* limits */

static std::string
Where(Isolate *isolate)
{
    Local<StackTrace>  st = StackTrace::CurrentStackTrace(isolate, 1);

    if (st->GetFrameCount() == 0) {
        return "";
    }

    Local<StackFrame>  f = st->GetFrame(isolate, 0);
    String::Utf8Value  name(isolate, f->GetScriptName());

    return std::string(" at ") + (*name ? *name : "<anonymous>") + ":"
           + std::to_string(f->GetLineNumber()) + ":"
           + std::to_string(f->GetColumn());
}


/* on the loop thread, at a point where JS may be inspected: stop the run */
static void
Stop(Isolate *isolate, Runtime *r, const std::string &why)
{
    r->terminating = true;
    r->terminated = why + Where(isolate);
    r->terminated_ctx = CurrentContext(r, isolate->GetCurrentContext());

    isolate->TerminateExecution();
}


static void
Interrupt(Isolate *isolate, void *data)
{
    Runtime  *r = static_cast<Runtime *>(data);

    if (r->terminating || r->rt->watchdog == nullptr
        || !nv8__watchdog_confirm(r->rt->watchdog))
    {
        return;
    }

    Stop(isolate, r, "terminated: JavaScript ran for more than "
                     + std::to_string(r->rt->cpu_limit_ms)
                     + "ms without returning (js_cpu_limit)");
}


extern "C" void
nv8__v8_interrupt(nv8_runtime_t *rt)
{
    Runtime  *r = Get(rt);

    r->isolate->RequestInterrupt(Interrupt, r);
}


static void
HeapInterrupt(Isolate *isolate, void *data)
{
    Runtime  *r = static_cast<Runtime *>(data);

    if (!r->heap_hit) {
        return;
    }

    r->heap_hit = false;

    if (r->depth > 0 && !r->terminating) {
        Stop(isolate, r, "terminated: the V8 heap limit (js_heap_limit, "
                         + std::to_string(r->rt->heap_max >> 20)
                         + " MB) was reached");
    }
}


/*
 * The heap is nearly full, in a GC: no JS may be touched here.  Ask for an
 * interrupt, which stops the running JS (its garbage is then
 * collectable), and give V8 room to get there.  If that is not enough V8
 * gives up, and OutOfMemory() ends the process.
 */

static size_t
NearHeapLimit(void *data, size_t current, size_t initial)
{
    Runtime  *r = static_cast<Runtime *>(data);

    if (!r->heap_hit) {
        r->heap_hit = true;
        r->isolate->RequestInterrupt(HeapInterrupt, r);
    }

    return current + (current >> 2) + (16 << 20);
}


/*
 * NearHeapLimit() alone comes too late for a heap of many small objects:
 * each full GC then frees a little, and V8 goes on collecting almost in
 * vain (seconds per request) before it calls it.  Two full GCs in one run
 * of JS that leave the heap 90% full stop that run the same way.  Not
 * one: marking starts before the GC ends, so the first full GC of a run
 * may keep the garbage of the run before it (an allocation bomb the CPU
 * limit stopped), which the next one frees.
 */

static void
AfterFullGC(Isolate *isolate, v8::GCType type, v8::GCCallbackFlags flags,
    void *data)
{
    Runtime        *r = static_cast<Runtime *>(data);
    HeapStatistics  hs;

    if (r->heap_hit || r->depth == 0) {
        return;
    }

    isolate->GetHeapStatistics(&hs);

    if (hs.used_heap_size() < hs.heap_size_limit() / 10 * 9) {
        r->full_hits = 0;
        return;
    }

    if (r->full_run != r->runs) {
        r->full_run = r->runs;
        r->full_hits = 0;
    }

    if (++r->full_hits >= 2) {
        r->heap_hit = true;
        isolate->RequestInterrupt(HeapInterrupt, r);
    }
}


static void
OutOfMemory(const char *location, bool is_heap)
{
    /* no JS can run any more: the host's master starts a fresh process */
    fprintf(stderr, "nv8: V8 is out of %s memory (%s), the process exits\n",
            is_heap ? "heap" : "process", location ? location : "");
    _exit(1);
}


/* runtime */

extern "C" nv8_int_t
nv8__v8_create(nv8_runtime_t *rt, char **err)
{
    Runtime                *r;
    Isolate::CreateParams   params;
    std::string             e;

    r = new Runtime;
    r->rt = rt;
    r->depth = 0;
    r->terminating = false;
    r->heap_hit = false;
    r->runs = 0;
    r->full_run = 0;
    r->full_hits = 0;
    r->cache_used = 0;
    r->cache_refused = 0;
    r->terminated_ctx = 0;
    r->allocator = new LimitedAllocator(rt->buffers_max);

    params.array_buffer_allocator = r->allocator;

    if (rt->heap_max != 0) {
        params.constraints.ConfigureDefaultsFromHeapSize(0, rt->heap_max);
    }

    r->isolate = Isolate::New(params);
    rt->v8 = r;

    Isolate  *isolate = r->isolate;

    /*
     * The isolate stays entered on this thread until it is disposed: the
     * Isolate::Scope of each entry point is then a nested enter, a counter,
     * where a first enter looks the thread's data up under a mutex (seen
     * in perf on every request's hook call).  One runtime per process, made
     * and destroyed on one thread, so entries nest as V8 requires.
     */
    isolate->Enter();

    isolate->SetData(0, r);
    isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
    isolate->SetPromiseRejectCallback(PromiseRejected);
    isolate->SetHostInitializeImportMetaObjectCallback(ImportMeta);
    isolate->SetHostImportModuleDynamicallyCallback(ImportDynamic);
    isolate->SetCaptureStackTraceForUncaughtExceptions(true, 10);
    isolate->AddNearHeapLimitCallback(NearHeapLimit, r);
    /* the room NearHeapLimit() gave is taken back once the heap is half
     * empty again, so every request meets the configured limit */
    isolate->AutomaticallyRestoreInitialHeapLimit(0.5);
    isolate->AddGCEpilogueCallback(AfterFullGC, r,
                                   v8::kGCTypeMarkSweepCompact);
    isolate->SetOOMErrorHandler(OutOfMemory);

    Isolate::Scope  is(isolate);
    HandleScope     hs(isolate);
    Local<Context>  context = Context::New(isolate);
    Context::Scope  cs(context);
    Local<Function> fn;

    r->context.Reset(isolate, context);
    r->where_key.Reset(isolate, Private::New(isolate,
        String::NewFromUtf8Literal(isolate, "nv8:where")));

    if (!Function::New(context, BindingGet).ToLocal(&fn)) {
        *err = Dup("cannot create the binding function");
        return NV8_ERROR;
    }

    r->binding_fn.Reset(isolate, fn);

    if (Load(r, context, "node:internal/bootstrap/main", &e).IsEmpty()) {
        *err = Dup("bootstrap failed: " + e);
        return NV8_ERROR;
    }

    Drain(r);

    return NV8_OK;
}


/*
 * Writes V8's code cache of every builtin module compiled so far as a C
 * source defining nv8_code_cache[] (see nv8_internal.h).  Made after the
 * modules ran, it holds the functions they compiled too.
 */

extern "C" nv8_int_t
nv8__v8_write_code_cache(nv8_runtime_t *rt, const char *path)
{
    Runtime  *r = Get(rt);
    Isolate  *isolate = r->isolate;
    FILE     *f;
    size_t    n = 0;

    HandleScope  hs(isolate);
    std::vector<std::string>  keys;

    for (auto &it : r->modules) {
        if (it.first.compare(0, 5, "node:") == 0
            && it.second->module.Get(isolate)->IsSourceTextModule())
        {
            keys.push_back(it.first);
        }
    }

    std::sort(keys.begin(), keys.end());

    f = fopen(path, "w");
    if (f == nullptr) {
        return NV8_ERROR;
    }

    fprintf(f, "/* generated by nv8 (NV8_CODE_CACHE_OUT): V8's code cache "
               "of the builtins */\n\n#include <stddef.h>\n\n"
               "typedef struct { const char *key; const unsigned char *data;"
               " size_t len; } nv8_code_cache_t;\n\n");

    for (const std::string &key : keys) {
        Local<Module>  m = r->modules[key]->module.Get(isolate);
        std::unique_ptr<ScriptCompiler::CachedData>  c(
            ScriptCompiler::CreateCodeCache(m->GetUnboundModuleScript()));

        fprintf(f, "static const unsigned char nv8_cc_%zu[] = {", n++);

        for (int i = 0; i < c->length; i++) {
            fprintf(f, "%s%u,", i % 24 ? "" : "\n", c->data[i]);
        }

        fprintf(f, "\n};\n\n");
    }

    fprintf(f, "__attribute__((visibility(\"hidden\")))\n"
               "const nv8_code_cache_t  nv8_code_cache[] = {\n");

    for (size_t i = 0; i < keys.size(); i++) {
        fprintf(f, "    { \"%s\", nv8_cc_%zu, sizeof(nv8_cc_%zu) },\n",
                keys[i].c_str(), i, i);
    }

    fprintf(f, "    { NULL, NULL, 0 }\n};\n");

    return fclose(f) == 0 && keys.size() > 0 ? NV8_OK : NV8_ERROR;
}


extern "C" void
nv8__v8_code_cache_stats(nv8_runtime_t *rt, unsigned *used,
    unsigned *refused)
{
    Runtime  *r = Get(rt);

    *used = r->cache_used;
    *refused = r->cache_refused;
}


extern "C" void
nv8__v8_destroy(nv8_runtime_t *rt)
{
    Runtime  *r = Get(rt);

    if (r == nullptr) {
        return;
    }

    {
        Isolate::Scope  is(r->isolate);

        for (auto &it : r->modules) {
            delete it.second;
        }

        r->modules.clear();
        r->bindings.clear();
        r->rejections.clear();

        for (int i = 0; i < NV8_HOOK_MAX; i++) {
            r->hooks[i].Reset();
        }

        /* the objects V8 did not collect: their finalizers run now */
        for (Native *n : r->natives) {
            n->object.Reset();
            n->cls->fin(n->data);
            delete n;
        }

        r->natives.clear();
        r->native_tmpl.Reset();

        r->binding_fn.Reset();
        r->where_key.Reset();
        r->fetch_error.Reset();
        r->context.Reset();

        for (Weak *w : r->weak) {
            w->handle.Reset();
            w->gone(w->data, 0);
            delete w;
        }

        r->weak.clear();
    }

    r->isolate->Exit();
    r->isolate->Dispose();
    delete r->allocator;
    delete r;
    rt->v8 = nullptr;
}


extern "C" double
nv8__v8_context(nv8_runtime_t *rt)
{
    Runtime  *r = Get(rt);

    return CurrentContext(r, r->isolate->GetCurrentContext());
}


extern "C" nv8_int_t
nv8_module_check(nv8_runtime_t *rt, const char *path, char **err)
{
    Runtime      *r = Get(rt);
    Isolate      *isolate = r->isolate;
    std::string   e;

    Isolate::Scope  is(isolate);
    HandleScope     hs(isolate);
    Local<Context>  context = r->context.Get(isolate);
    Context::Scope  cs(context);

    if (Link(r, context, path, &e).IsEmpty()) {
        *err = Dup(e);
        return NV8_ERROR;
    }

    return NV8_OK;
}


extern "C" nv8_int_t
nv8_module_load(nv8_runtime_t *rt, const char *path, char **err)
{
    Runtime      *r = Get(rt);
    Isolate      *isolate = r->isolate;
    std::string   e;

    Isolate::Scope  is(isolate);
    HandleScope     hs(isolate);
    Local<Context>  context = r->context.Get(isolate);
    Context::Scope  cs(context);

    if (Load(r, context, path, &e).IsEmpty()) {
        *err = Dup(e);
        return NV8_ERROR;
    }

    Drain(r);

    return NV8_OK;
}


extern "C" nv8_int_t
nv8_hook_call(nv8_runtime_t *rt, nv8_hook_e hook, double ctx,
    const nv8_arg_t *args, size_t nargs, double *result, char **err)
{
    Runtime      *r = Get(rt);
    Isolate      *isolate = r->isolate;
    Local<Value>  argv[12];
    Local<Value>  ret, saved;
    std::string   text;

    Isolate::Scope  is(isolate);
    HandleScope     hs(isolate);
    Local<Context>  context = r->context.Get(isolate);
    Context::Scope  cs(context);

    if (r->hooks[hook].IsEmpty() || nargs > 12) {
        nv8__log(rt, NV8_LOG_ALERT, ctx, "v8 hook %d is not registered",
                 (int) hook);
        return NV8_ERROR;
    }

    for (size_t i = 0; i < nargs; i++) {
        switch (args[i].type) {

        case NV8_ARG_NUMBER:
            argv[i] = Number::New(isolate, args[i].number);
            break;

        case NV8_ARG_STRING:
            argv[i] = OneByte(isolate, args[i].str.data, args[i].str.len);
            break;

        case NV8_ARG_BYTES: {
            Local<ArrayBuffer>  ab = ArrayBuffer::New(isolate,
                                                      args[i].str.len);

            if (args[i].str.len) {
                memcpy(ab->Data(), args[i].str.data, args[i].str.len);
            }

            argv[i] = Uint8Array::New(ab, 0, args[i].str.len);
            break;
        }

        case NV8_ARG_MODULE: {
            std::string  key(args[i].str.data, args[i].str.len);
            auto         found = r->modules.find(key);

            if (found == r->modules.end()) {
                argv[i] = v8::Undefined(isolate);
                break;
            }

            argv[i] = found->second->module.Get(isolate)
                      ->GetModuleNamespace();
            break;
        }
        }
    }

    saved = context->GetContinuationPreservedEmbedderData();
    context->SetContinuationPreservedEmbedderData(Number::New(isolate, ctx));

    TryCatch  tc(isolate);

    Enter(r);
    bool ok = r->hooks[hook].Get(isolate)
              ->Call(context, v8::Undefined(isolate), (int) nargs, argv)
              .ToLocal(&ret);
    bool stopped = r->terminating;
    Leave(r, false);

    if (!ok) {
        text = stopped ? r->terminated : FormatTryCatch(isolate, context, tc);
        tc.Reset();

        if (stopped && r->terminated_ctx != ctx
            && r->rt->host.terminated != nullptr)
        {
            /* JS of another request (a timer's) was stopped: its host
             * fails that request; this call just failed */
            r->rt->host.terminated(r->rt->host.data, r->terminated_ctx,
                                   text.data(), text.size());

        } else if (err != nullptr) {
            *err = Dup(text);

        } else {
            ReportUncaught(r, text, ctx);
        }
    }

    Drain(r);

    context->SetContinuationPreservedEmbedderData(saved);

    if (!ok) {
        return NV8_ERROR;
    }

    if (result != nullptr) {
        *result = ret->IsNumber() ? ret.As<Number>()->Value() : NAN;
    }

    return NV8_OK;
}


/* calls */

extern "C" nv8_runtime_t *
nv8_call_runtime(nv8_call_t *call)
{
    return call->rt;
}


extern "C" nv8_int_t
nv8_call_magic(nv8_call_t *call)
{
    return call->method->magic;
}


extern "C" size_t
nv8_call_argc(nv8_call_t *call)
{
    return (size_t) call->info->Length();
}


extern "C" int
nv8_arg_is_nullish(nv8_call_t *call, size_t i)
{
    return (*call->info)[(int) i]->IsNullOrUndefined();
}


extern "C" nv8_int_t
nv8_arg_number(nv8_call_t *call, size_t i, double *n)
{
    Local<Value>  v = (*call->info)[(int) i];

    if (!v->IsNumber()) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_TYPE",
                         "argument %d must be a number", (int) i + 1);
    }

    *n = v.As<Number>()->Value();

    return NV8_OK;
}


/* memory that lives until the native call returns */
static void *
CallAlloc(nv8_call_t *call, size_t size)
{
    size_t  at = (call->arena_used + 7) & ~(size_t) 7;
    void   *p;

    if (at <= call->arena_size && size <= call->arena_size - at) {
        call->arena_used = at + size;
        return call->arena + at;
    }

    p = malloc(size);
    if (p != nullptr) {
        call->scratch->push_back(static_cast<char *>(p));
    }

    return p;
}


static nv8_int_t
CopyString(nv8_call_t *call, Local<String> s, nv8_str_t *out)
{
    Isolate  *isolate = call->info->GetIsolate();
    size_t    len, max;
    char     *p;

    /*
     * A UTF-16 unit is at most 3 bytes of UTF-8 (a pair is 4, a lone
     * surrogate becomes U+FFFD's 3): a short string is written at once
     * into room for that, a long one is measured first.
     */
    max = (size_t) s->Length() * 3;
    len = max <= 512 ? max : s->Utf8Length(isolate);

    p = static_cast<char *>(CallAlloc(call, len + 1));
    if (p == nullptr) {
        return nv8_throw(call, NV8_ERROR_RANGE, nullptr, "out of memory");
    }

    len = s->WriteUtf8(isolate, p, (int) len, nullptr,
                       String::NO_NULL_TERMINATION
                       | String::REPLACE_INVALID_UTF8);
    p[len] = '\0';

    out->data = p;
    out->len = len;

    return NV8_OK;
}


extern "C" nv8_int_t
nv8_arg_string(nv8_call_t *call, size_t i, nv8_str_t *s)
{
    Local<Value>  v = (*call->info)[(int) i];

    if (!v->IsString()) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_TYPE",
                         "argument %d must be a string", (int) i + 1);
    }

    return CopyString(call, v.As<String>(), s);
}


extern "C" nv8_int_t
nv8_arg_string_array(nv8_call_t *call, size_t i, nv8_str_t **items,
    size_t *n)
{
    Isolate         *isolate = call->info->GetIsolate();
    Local<Context>   context = isolate->GetCurrentContext();
    Local<Value>     v = (*call->info)[(int) i];
    Local<Array>     a;
    nv8_str_t       *out;

    if (!v->IsArray()) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_TYPE",
                         "argument %d must be an array", (int) i + 1);
    }

    a = v.As<Array>();
    *n = a->Length();

    out = static_cast<nv8_str_t *>(CallAlloc(call,
                                             sizeof(nv8_str_t) * (*n + 1)));
    if (out == nullptr) {
        return nv8_throw(call, NV8_ERROR_RANGE, nullptr, "out of memory");
    }

    for (uint32_t k = 0; k < *n; k++) {
        Local<Value>   item;
        Local<String>  s;

        if (!a->Get(context, k).ToLocal(&item)
            || !item->ToString(context).ToLocal(&s))
        {
            return NV8_ERROR;
        }

        if (CopyString(call, s, &out[k]) != NV8_OK) {
            return NV8_ERROR;
        }
    }

    *items = out;

    return NV8_OK;
}


extern "C" nv8_int_t
nv8_arg_bytes_size(nv8_call_t *call, size_t i, size_t *size)
{
    Local<Value>  v = (*call->info)[(int) i];

    if (v->IsString()) {
        *size = v.As<String>()->Utf8Length(call->info->GetIsolate());
        return NV8_OK;
    }

    if (v->IsArrayBufferView()) {
        *size = v.As<ArrayBufferView>()->ByteLength();
        return NV8_OK;
    }

    if (v->IsArrayBuffer()) {
        *size = v.As<ArrayBuffer>()->ByteLength();
        return NV8_OK;
    }

    return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_TYPE",
                     "argument %d must be a string, ArrayBuffer or "
                     "ArrayBufferView", (int) i + 1);
}


extern "C" nv8_int_t
nv8_arg_bytes_copy(nv8_call_t *call, size_t i, unsigned char *dst,
    size_t size)
{
    Local<Value>  v = (*call->info)[(int) i];

    if (v->IsString()) {
        v.As<String>()->WriteUtf8(call->info->GetIsolate(), (char *) dst,
                                  (int) size, nullptr,
                                  String::NO_NULL_TERMINATION
                                  | String::REPLACE_INVALID_UTF8);
        return NV8_OK;
    }

    if (v->IsArrayBufferView()) {
        v.As<ArrayBufferView>()->CopyContents(dst, size);
        return NV8_OK;
    }

    if (v->IsArrayBuffer()) {
        memcpy(dst, v.As<ArrayBuffer>()->Data(), size);
        return NV8_OK;
    }

    return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_TYPE",
                     "argument %d must be a string, ArrayBuffer or "
                     "ArrayBufferView", (int) i + 1);
}


/* opens no scope: runs inside the trampoline's */
extern "C" nv8_int_t
nv8_arg_bytes_data(nv8_call_t *call, size_t i, unsigned char **data,
    size_t *len)
{
    Local<Value>  v = (*call->info)[(int) i];

    if (v->IsArrayBufferView()) {
        Local<ArrayBufferView>  view = v.As<ArrayBufferView>();

        /* GetBackingStore() moves an on-heap typed array off the heap,
         * so the pointer stays put for the rest of the call */
        std::shared_ptr<BackingStore>  bs =
            view->Buffer()->GetBackingStore();

        *len = view->ByteLength();
        *data = (bs->Data() == nullptr || *len == 0)
                ? (unsigned char *) ""
                : static_cast<unsigned char *>(bs->Data())
                  + view->ByteOffset();
        return NV8_OK;
    }

    if (v->IsArrayBuffer()) {
        Local<ArrayBuffer>  ab = v.As<ArrayBuffer>();

        *len = ab->ByteLength();
        *data = (ab->Data() == nullptr || *len == 0)
                ? (unsigned char *) ""
                : static_cast<unsigned char *>(ab->Data());
        return NV8_OK;
    }

    return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_TYPE",
                     "argument %d must be an ArrayBuffer or "
                     "ArrayBufferView", (int) i + 1);
}


extern "C" void
nv8_return_number(nv8_call_t *call, double n)
{
    call->info->GetReturnValue().Set(n);
}


extern "C" void
nv8_return_bool(nv8_call_t *call, int b)
{
    call->info->GetReturnValue().Set(b != 0);
}


extern "C" void
nv8_return_string(nv8_call_t *call, const char *s, size_t len)
{
    call->info->GetReturnValue().Set(OneByte(call->info->GetIsolate(), s,
                                             len));
}


extern "C" void
nv8_return_utf8(nv8_call_t *call, const char *s, size_t len)
{
    Local<String>  str;

    if (String::NewFromUtf8(call->info->GetIsolate(), s,
                            NewStringType::kNormal, (int) len).ToLocal(&str))
    {
        call->info->GetReturnValue().Set(str);
    }
}


/* opens no scope: runs inside the trampoline's */
extern "C" void
nv8_return_bytes(nv8_call_t *call, const void *data, size_t len)
{
    Isolate             *isolate = call->info->GetIsolate();
    Local<ArrayBuffer>   ab = ArrayBuffer::New(isolate, len);

    if (len != 0) {
        memcpy(ab->Data(), data, len);
    }

    call->info->GetReturnValue().Set(Uint8Array::New(ab, 0, len));
}


extern "C" void
nv8_return_string_array(nv8_call_t *call, const nv8_str_t *items, size_t n)
{
    Isolate                     *isolate = call->info->GetIsolate();
    std::vector<Local<Value>>    v(n);

    for (size_t i = 0; i < n; i++) {
        v[i] = OneByte(isolate, items[i].data, items[i].len);
    }

    call->info->GetReturnValue().Set(Array::New(isolate, v.data(), n));
}


/* native objects */

/* V8's first-pass weak callback: inside the GC, so no JS and no handles */
static void
NativeCollected(const v8::WeakCallbackInfo<Native> &info)
{
    Native  *n = info.GetParameter();

    n->object.Reset();
    n->r->natives.erase(n);

    if (n->external != 0) {
        n->r->isolate->AdjustAmountOfExternalAllocatedMemory(
            -(int64_t) n->external);
    }

    n->cls->fin(n->data);
    delete n;
}


/* opens no scope: runs inside the trampoline's */
extern "C" void
nv8_return_numbers(nv8_call_t *call, const double *v, size_t n)
{
    Isolate             *isolate = call->info->GetIsolate();
    Local<ArrayBuffer>   ab = ArrayBuffer::New(isolate, n * sizeof(double));

    if (n != 0) {
        memcpy(ab->Data(), v, n * sizeof(double));
    }

    call->info->GetReturnValue().Set(Float64Array::New(ab, 0, n));
}


/* opens no scope: runs inside the trampoline's */
extern "C" nv8_int_t
nv8_return_object(nv8_call_t *call, const nv8_class_t *cls, void *data,
    size_t external)
{
    Isolate                  *isolate = call->info->GetIsolate();
    Local<Context>            context = isolate->GetCurrentContext();
    Runtime                  *r = Get(call->rt);
    Local<FunctionTemplate>   tmpl;
    Local<Object>             obj;
    Native                   *n;

    if (r->native_tmpl.IsEmpty()) {
        tmpl = FunctionTemplate::New(isolate);
        tmpl->SetClassName(String::NewFromUtf8Literal(isolate,
                                                      "NativeHandle"));
        tmpl->InstanceTemplate()->SetInternalFieldCount(1);
        r->native_tmpl.Reset(isolate, tmpl);

    } else {
        tmpl = r->native_tmpl.Get(isolate);
    }

    if (!tmpl->InstanceTemplate()->NewInstance(context).ToLocal(&obj)) {
        return NV8_ERROR;
    }

    n = new Native;
    n->cls = cls;
    n->data = data;
    n->external = external;
    n->r = r;

    obj->SetAlignedPointerInInternalField(0, n);
    n->object.Reset(isolate, obj);
    n->object.SetWeak(n, NativeCollected, v8::WeakCallbackType::kParameter);
    r->natives.insert(n);

    if (external != 0) {
        isolate->AdjustAmountOfExternalAllocatedMemory((int64_t) external);
    }

    call->info->GetReturnValue().Set(obj);

    return NV8_OK;
}


/* opens no scope: runs inside the trampoline's */
extern "C" nv8_int_t
nv8_arg_object(nv8_call_t *call, size_t i, const nv8_class_t *cls,
    void **data)
{
    Isolate       *isolate = call->info->GetIsolate();
    Runtime       *r = Get(call->rt);
    Local<Value>   v = (*call->info)[(int) i];
    Native        *n;

    if (r->native_tmpl.IsEmpty() || !v->IsObject()
        || !r->native_tmpl.Get(isolate)->HasInstance(v))
    {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_TYPE",
                         "argument %d must be a %s handle", (int) i + 1,
                         cls->name);
    }

    n = static_cast<Native *>(
            v.As<Object>()->GetAlignedPointerFromInternalField(0));

    if (n->cls != cls) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_TYPE",
                         "argument %d must be a %s handle, not %s",
                         (int) i + 1, cls->name, n->cls->name);
    }

    *data = n->data;

    return NV8_OK;
}


/* opens no scope: runs inside the trampoline's */
extern "C" nv8_int_t
nv8_throw_errno(nv8_call_t *call, int uv_err, const char *syscall)
{
    Isolate       *isolate = call->info->GetIsolate();
    Local<Value>   v[2] = {
        Integer::New(isolate, uv_err),
        Str(isolate, syscall, strlen(syscall))
    };

    isolate->ThrowException(Array::New(isolate, v, 2));

    return NV8_ERROR;
}


/*
 * First-pass weak callback: runs inside the GC, so it only resets the
 * handle and calls the C callback, which must not touch V8.
 */
static void
WeakGone(const v8::WeakCallbackInfo<Weak> &info)
{
    Weak  *w = info.GetParameter();

    w->handle.Reset();
    w->runtime->weak.erase(w);
    w->gone(w->data, 1);
    delete w;
}


/* opens no scope: runs inside the trampoline's */
extern "C" nv8_int_t
nv8_arg_weak(nv8_call_t *call, size_t i, void (*gone)(void *data,
    int collected), void *data)
{
    Local<Value>   v = (*call->info)[(int) i];
    Runtime       *r = Get(call->rt);
    Weak          *w;

    if (!v->IsObject()) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_TYPE",
                         "argument %d must be an object", (int) i + 1);
    }

    w = new Weak;
    w->gone = gone;
    w->data = data;
    w->runtime = r;
    w->handle.Reset(call->info->GetIsolate(), v.As<Object>());
    w->handle.SetWeak(w, WeakGone, v8::WeakCallbackType::kParameter);
    r->weak.insert(w);

    return NV8_OK;
}


extern "C" nv8_int_t
nv8_throw(nv8_call_t *call, int type, const char *code, const char *fmt, ...)
{
    Isolate        *isolate = call->info->GetIsolate();
    Local<Context>  context = isolate->GetCurrentContext();
    char            buf[512];
    va_list         args;
    Local<String>   msg;
    Local<Value>    exc;

    va_start(args, fmt);
    vsnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);

    msg = Str(isolate, buf, strlen(buf));

    switch (type) {
    case NV8_ERROR_TYPE:
        exc = Exception::TypeError(msg);
        break;
    case NV8_ERROR_RANGE:
        exc = Exception::RangeError(msg);
        break;
    default:
        exc = Exception::Error(msg);
    }

    if (code != nullptr) {
        Ignore(exc.As<Object>()->Set(context,
                                     String::NewFromUtf8Literal(isolate,
                                                                "code"),
                                     Str(isolate, code, strlen(code))));
    }

    isolate->ThrowException(exc);

    return NV8_ERROR;
}


/* promises */

extern "C" nv8_promise_t *
nv8_promise_create(nv8_call_t *call)
{
    Isolate                   *isolate = call->info->GetIsolate();
    Local<Context>             context = isolate->GetCurrentContext();
    Local<Promise::Resolver>   resolver;
    nv8_promise_t             *p;

    if (!Promise::Resolver::New(context).ToLocal(&resolver)) {
        return nullptr;
    }

    p = new nv8_promise_t;
    p->rt = call->rt;
    p->resolver.Reset(isolate, resolver);

    call->info->GetReturnValue().Set(resolver->GetPromise());

    return p;
}


template <typename F>
static void
Settle(nv8_promise_t *p, F make)
{
    Runtime      *r = Get(p->rt);
    Isolate      *isolate = r->isolate;

    {
        Isolate::Scope  is(isolate);
        HandleScope     hs(isolate);
        Local<Context>  context = r->context.Get(isolate);
        Context::Scope  cs(context);
        Local<Promise::Resolver>  resolver = p->resolver.Get(isolate);
        bool            reject = false;
        Local<Value>    v = make(isolate, context, &reject);

        if (reject) {
            Ignore(resolver->Reject(context, v));

        } else {
            Ignore(resolver->Resolve(context, v));
        }

        Drain(r);
    }

    delete p;
}


extern "C" void
nv8_promise_resolve_bytes(nv8_promise_t *p, void *data, size_t len)
{
    Settle(p, [data, len](Isolate *isolate, Local<Context>, bool *)
                  -> Local<Value>
    {
        std::unique_ptr<BackingStore>  bs = ArrayBuffer::NewBackingStore(
            data, len, [](void *d, size_t, void *) { free(d); }, nullptr);
        Local<ArrayBuffer>  ab = ArrayBuffer::New(isolate, std::move(bs));

        return Uint8Array::New(ab, 0, len);
    });
}


extern "C" void
nv8_promise_resolve_numbers(nv8_promise_t *p, const double *v, size_t n)
{
    Settle(p, [v, n](Isolate *isolate, Local<Context>, bool *)
                  -> Local<Value>
    {
        Local<ArrayBuffer>  ab = ArrayBuffer::New(isolate, n * sizeof(double));

        if (n != 0) {
            memcpy(ab->Data(), v, n * sizeof(double));
        }

        return Float64Array::New(ab, 0, n);
    });
}


extern "C" void
nv8_promise_reject_errno(nv8_promise_t *p, int uv_err, const char *syscall)
{
    Settle(p, [uv_err, syscall](Isolate *isolate, Local<Context>,
                                bool *reject) -> Local<Value>
    {
        Local<Value>  v[2] = {
            Integer::New(isolate, uv_err),
            Str(isolate, syscall, strlen(syscall))
        };

        *reject = true;

        return Array::New(isolate, v, 2);
    });
}


extern "C" void
nv8_promise_reject_error(nv8_promise_t *p, const char *code,
    const char *message)
{
    Settle(p, [code, message](Isolate *isolate, Local<Context> context,
                              bool *reject) -> Local<Value>
    {
        Local<Value>  e = Exception::Error(Str(isolate, message,
                                               strlen(message)));

        if (code != nullptr) {
            Ignore(e.As<Object>()->Set(context, Str(isolate, "code", 4),
                                       Str(isolate, code, strlen(code))));
        }

        *reject = true;

        return e;
    });
}


extern "C" void
nv8_promise_drop(nv8_promise_t *p)
{
    delete p;
}
