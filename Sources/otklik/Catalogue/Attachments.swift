import OtklikDesk

/// What `otklik attachment` says, English and Russian side by side.
extension Say {
    enum Attachments {
        static let uploadDiscussion = Phrase(
            "Accepted: JPEG, PNG, HEIC, WebP photos, MP4 and MOV videos, PDF documents, told by their content. A progress line shows on a terminal.",
            "Принимаются фото JPEG, PNG, HEIC, WebP, видео MP4 и MOV, документы PDF (вид определяется по содержимому). На терминале видна строка хода загрузки."
        )
        /// An uploaded file's name when the daemon had its content already.
        static func storedAlready(_ name: String) -> Phrase { Phrase("\(name) (already stored)", "\(name) (уже была)") }
        static func savedFile(_ out: String, _ name: String, _ size: Int64) -> Phrase {
            Phrase("\(out): \(name), \(size) bytes", "\(out): \(name), \(size) байт")
        }
        // A size as people read it: bytes, kilobytes, megabytes with one decimal (written by the caller).
        static func bytes(_ count: Int64) -> Phrase { Phrase("\(count) bytes", "\(count) байт") }
        static func kilobytes(_ count: Int64) -> Phrase { Phrase("\(count) KB", "\(count) КБ") }
        static func megabytes(_ amount: String) -> Phrase { Phrase("\(amount) MB", "\(amount) МБ") }
        /// The progress line of an upload or a download: the file, how much of how much, the rate and
        /// the time left (minutes:seconds).
        static func progress(_ name: String, done: String, total: String, rate: String, left: String) -> Phrase {
            Phrase(
                "\(name)  \(done) / \(total)  \(rate)/s  left \(left)",
                "\(name)  \(done) / \(total)  \(rate)/с  осталось \(left)")
        }
        static func cannotRead(_ path: String) -> Phrase {
            Phrase("cannot read \(path)", "не удаётся прочитать \(path)")
        }
        static func cannotWrite(_ partial: String, _ localizedDescription: String) -> Phrase {
            Phrase(
                "cannot write \(partial): \(localizedDescription)",
                "не удаётся записать \(partial): \(localizedDescription)")
        }
        static let document = Phrase("document", "документ")
        static func fileExists(_ out: String) -> Phrase {
            Phrase("\(out) exists; name a new file", "\(out) уже существует; укажите новый файл")
        }
        static let getAbstract = Phrase(
            "Fetch an attachment into a new file (checked against its SHA-256 before it is kept).",
            "Получить вложение в новый файл (он сверяется с SHA-256, прежде чем сохраниться).")
        static func isNotAnAttachment(_ textValue: String) -> Phrase {
            Phrase(
                "\(textValue) is not an attachment's SHA-256 (its 64 hexadecimal digits, or the first 6 or more of them as `case show` prints 12)",
                "\(textValue) — не SHA-256 вложения (64 шестнадцатеричные цифры или первые 6 и более из них: `case show` печатает 12)"
            )
        }
        static let name = Phrase("Name", "Имя")
        static let noFileToUpload = Phrase("name a file to upload", "укажите файл для загрузки")
        static let photo = Phrase("photo", "фото")
        static let attachmentAbstract = Phrase(
            "Photos, videos and documents for replies (p.19): upload, show, get.",
            "Фото, видео и документы к ответам (п. 19): загрузить, показать, получить.")
        static let chunkedHelp = Phrase(
            "Send the bytes in 1 MiB messages instead of handing the daemon the open file (for a socket reached through a proxy).",
            "Передавать байты частями по 1 МиБ, а не открытый файл (для сокета, доступного через прокси).")
        static let sha = Phrase("SHA-256", "SHA-256")
        static let size = Phrase("Size", "Размер")
        static let taken = Phrase("Taken", "Снято")
        static let sha256Help = Phrase(
            "The attachment's SHA-256, or its first 6 or more digits (as `case show` prints 12).",
            "SHA-256 вложения или его первые 6 и более цифр (`case show` печатает 12).")
        static func noSuchFileInTheDraft(_ named: String, _ files: String) -> Phrase {
            Phrase(
                "the draft has no file \(named); its files: \(files)",
                "в проекте нет файла \(named); его файлы: \(files)")
        }
        static func severalFilesInTheDraft(_ named: String, _ files: String) -> Phrase {
            Phrase(
                "\(named) names more than one file of the draft: \(files); give more digits",
                "\(named) подходит к нескольким файлам проекта: \(files); укажите больше цифр")
        }
        static func fileDamaged(_ written: Int64, _ size: Int64) -> Phrase {
            Phrase(
                "the file arrived damaged (\(written) of \(size) bytes, or another SHA-256); nothing was kept",
                "файл пришёл повреждённым (\(written) из \(size) байт или другая SHA-256); ничего не сохранено")
        }
        static let filesHelp = Phrase("The files to upload.", "Файлы для загрузки.")
        static let type = Phrase("Type", "Тип")
        static let uploaded = Phrase("Uploaded", "Загружено")
        static let uploadAbstract = Phrase(
            "Upload files; each is stored once by its content and named by its SHA-256.",
            "Загрузить файлы; каждый хранится один раз по содержимому и называется своим SHA-256.")
        static let video = Phrase("video", "видео")
        static let showAbstract = Phrase("What the daemon knows of an attachment.", "Что демон знает о вложении.")
    }
}
