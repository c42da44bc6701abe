// Files on drafts and replies (p.19): uploads, downloads, their limits.

extension Refusals {
    public enum Attachments {
        public static let headerFirst = Refusal(
            "upload_header_first", "an upload starts with its header: the file's name, size and SHA-256",
            "загрузка начинается с заголовка: имя файла, размер и SHA-256")
        public static let nameRequired = Refusal("file_name_required", "give the file's name", "укажите имя файла")
        public static let badDigest = Refusal(
            "bad_sha256", "name a file by its SHA-256: 64 hexadecimal digits, or the first 6 or more of them",
            "файл называют по его SHA-256: 64 шестнадцатеричные цифры или первые 6 и более из них")
        public static let emptyFile = Refusal(
            "empty_file", "an empty file is not an attachment", "пустой файл нельзя приложить")
        public static let overLargest = Refusal(
            "over_largest_attachment",
            "{size} is over the largest attachment accepted: a video may be at most {video}, a photo {photo}, a document {document}",
            "{size} — больше любого допустимого вложения: видео до {video}, фото до {photo}, документ до {document}")
        public static let onlyChunks = Refusal(
            "only_chunks_after_header", "after its header an upload sends only chunks of the file",
            "после заголовка загрузка передаёт только части файла")
        public static let chunkTooLarge = Refusal(
            "chunk_too_large", "a chunk holds at most {max} bytes, not {size}",
            "часть файла — не больше {max} байт, а не {size}")
        public static let longerThanDeclared = Refusal(
            "longer_than_declared", "the file is longer than its declared {size} bytes",
            "файл длиннее заявленных {size} байт")
        public static let endedEarly = Refusal(
            "upload_ended_early", "the upload ended after {received} of its declared {size} bytes; nothing was stored",
            "загрузка оборвалась после {received} из {size} байт; ничего не сохранено")
        public static let digestMismatch = Refusal(
            "sha256_mismatch",
            "the bytes received have SHA-256 {received}, not the declared {declared}: the file changed or was damaged on the way; nothing was stored",
            "у полученных байтов SHA-256 {received}, а не заявленный {declared}: файл изменился или повреждён в пути; ничего не сохранено"
        )
        public static let descriptorMissing = Refusal(
            "descriptor_missing",
            "the header says the file comes as a descriptor, but none came with it (a local client passes it over the socket with SCM_RIGHTS)",
            "в заголовке сказано, что файл передаётся дескриптором, но дескриптора нет (локальный клиент передаёт его через сокет, SCM_RIGHTS)"
        )
        public static let descriptorNotAFile = Refusal(
            "descriptor_not_a_file", "the descriptor passed is not a regular file",
            "переданный дескриптор — не обычный файл")
        public static let descriptorNotReadable = Refusal(
            "descriptor_not_readable", "the descriptor passed is not open for reading",
            "переданный дескриптор не открыт на чтение")
        public static let passedSizeMismatch = Refusal(
            "passed_size_mismatch", "the file passed is {actual} bytes, not the declared {size}",
            "переданный файл — {actual} байт, а не заявленные {size}")
        public static let descriptorWithChunks = Refusal(
            "descriptor_with_chunks", "a file passed as a descriptor is not followed by chunks",
            "за файлом, переданным дескриптором, не должны идти части")
        public static let unacceptedKind = Refusal(
            "unaccepted_file_kind",
            "this is not a kind of file a reply can carry; accepted are {accepted} (told by the file's content, not its name)",
            "такой файл нельзя приложить к ответу; принимаются {accepted} (вид определяется по содержимому, а не по имени)"
        )
        public static let kindTooLarge = Refusal(
            "file_too_large", "a {kind} may be at most {limit}; this one is {size}",
            "{kind}: не больше {limit}, а этот файл — {size}")
        public static let fileMissing = Refusal(
            "attachment_file_missing",
            "the file of attachment {sha256} is missing from the data directory; restore it from a backup",
            "файла вложения {sha256} нет в каталоге данных; восстановите его из резервной копии")
        public static let fileWrongSize = Refusal(
            "attachment_file_wrong_size",
            "the file of attachment {sha256} is not the size recorded; restore it from a backup",
            "размер файла вложения {sha256} не совпадает с записанным; восстановите его из резервной копии")
        public static let notFound = Refusal("attachment_not_found", "no attachment {sha256}", "вложения {sha256} нет")
        public static let ambiguousPrefix = Refusal(
            "attachment_ambiguous", "{prefix} begins more than one file: {digests}; give more digits",
            "с {prefix} начинается не один файл: {digests}; укажите больше цифр")

        public static let uploadsRunning = Refusal(
            "uploads_running", "{running} uploads of yours are running, the most at once; wait for one to finish",
            "у вас уже идёт загрузок: {running}, больше одновременно нельзя; дождитесь окончания одной из них")
        public static let uploadsBusy = Refusal(
            "uploads_busy", "{running} uploads are running, the most at once; try again in a moment",
            "одновременно идёт наибольшее число загрузок ({running}); повторите через минуту")
        public static let overQuota = Refusal(
            "upload_quota",
            "your files that no draft carries yet come to {held}; with {size} more they would pass {quota}: attach them to a draft, or wait for the unused ones to be removed (after a day)",
            "ваши файлы, которых пока нет ни в одном проекте ответа, занимают {held}; ещё {size} превысят {quota}: приложите их к проекту или дождитесь удаления неиспользованных (через сутки)"
        )
        public static let diskReserve = Refusal(
            "upload_disk_reserve",
            "the data disk has {free} free and keeps {reserve} for registrations; a file of {size} is not taken now, ask the administrator to free space",
            "на диске с данными свободно {free}, из них {reserve} оставлено для регистрации сообщений; файл размером {size} сейчас не принимается, попросите администратора освободить место"
        )
        public static let uploadStalled = Refusal(
            "upload_stalled", "the upload sent nothing for {seconds} s and was ended; send it again",
            "загрузка ничего не передавала {seconds} с и была прервана; отправьте файл ещё раз")

        static let all: [Refusal] = [
            uploadsRunning, uploadsBusy, overQuota, diskReserve, uploadStalled,
            headerFirst, nameRequired, badDigest, emptyFile, overLargest, onlyChunks, chunkTooLarge, longerThanDeclared,
            endedEarly, digestMismatch, descriptorMissing, descriptorNotAFile, descriptorNotReadable,
            passedSizeMismatch,
            descriptorWithChunks, unacceptedKind, kindTooLarge, fileMissing, fileWrongSize, notFound,
            ambiguousPrefix,
        ]
    }
}
