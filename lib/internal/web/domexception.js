// Copyright (C) nv8 contributors
//
// DOMException per WebIDL: the legacy name -> code table, and instances
// that are Errors (instanceof Error, a stack).

import { webidlInterface } from 'internal/web/webidl';

const codes = {
    __proto__: null,
    IndexSizeError: 1,
    HierarchyRequestError: 3,
    WrongDocumentError: 4,
    InvalidCharacterError: 5,
    NoModificationAllowedError: 7,
    NotFoundError: 8,
    NotSupportedError: 9,
    InUseAttributeError: 10,
    InvalidStateError: 11,
    SyntaxError: 12,
    InvalidModificationError: 13,
    NamespaceError: 14,
    InvalidAccessError: 15,
    TypeMismatchError: 17,
    SecurityError: 18,
    NetworkError: 19,
    AbortError: 20,
    URLMismatchError: 21,
    QuotaExceededError: 22,
    TimeoutError: 23,
    InvalidNodeTypeError: 24,
    DataCloneError: 25,
};

const constants = [
    'INDEX_SIZE_ERR', 'DOMSTRING_SIZE_ERR', 'HIERARCHY_REQUEST_ERR',
    'WRONG_DOCUMENT_ERR', 'INVALID_CHARACTER_ERR', 'NO_DATA_ALLOWED_ERR',
    'NO_MODIFICATION_ALLOWED_ERR', 'NOT_FOUND_ERR', 'NOT_SUPPORTED_ERR',
    'INUSE_ATTRIBUTE_ERR', 'INVALID_STATE_ERR', 'SYNTAX_ERR',
    'INVALID_MODIFICATION_ERR', 'NAMESPACE_ERR', 'INVALID_ACCESS_ERR',
    'VALIDATION_ERR', 'TYPE_MISMATCH_ERR', 'SECURITY_ERR', 'NETWORK_ERR',
    'ABORT_ERR', 'URL_MISMATCH_ERR', 'QUOTA_EXCEEDED_ERR', 'TIMEOUT_ERR',
    'INVALID_NODE_TYPE_ERR', 'DATA_CLONE_ERR',
];

const kName = Symbol('name');
const kMessage = Symbol('message');

/** WebIDL DOMException. */
export class DOMException extends Error {
    /**
     * @param {string} [message]
     * @param {string|{name?: string, cause?: *}} [options] the name, or
     *     an options bag as in the current WebIDL draft
     */
    constructor(message = '', options = 'Error') {
        super();
        let name = 'Error';
        if (options !== null && typeof options === 'object') {
            if ('name' in options) {
                name = String(options.name);
            }
            if ('cause' in options) {
                Object.defineProperty(this, 'cause', {
                    value: options.cause, writable: true,
                    configurable: true, enumerable: false,
                });
            }
        } else {
            name = String(options);
        }
        this[kName] = name;
        this[kMessage] = String(message);
    }

    get name() {
        check(this);
        return this[kName];
    }

    get message() {
        check(this);
        return this[kMessage];
    }

    get code() {
        check(this);
        return codes[this[kName]] ?? 0;
    }
}

function check(self) {
    if (self === null || typeof self !== 'object' || !(kName in self)) {
        throw new TypeError('Illegal invocation');
    }
}

for (let i = 0; i < constants.length; i++) {
    const d = { value: i + 1, enumerable: true };
    Object.defineProperty(DOMException, constants[i], d);
    Object.defineProperty(DOMException.prototype, constants[i], d);
}
for (const k of ['name', 'message', 'code']) {
    Object.defineProperty(DOMException.prototype, k, { enumerable: true });
}
webidlInterface(DOMException);
